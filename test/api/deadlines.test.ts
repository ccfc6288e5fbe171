/** The deadlines over HTTP: one plan's, and the overdue ones across an organisation's plans. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStockholmDays, toStockholmTimestamp } from '../../shared/domain/time.ts';
import { OTHER_ORG, startTestApi } from '../support/api.ts';
import { planDriver, sharingConsent } from '../support/process.ts';
import { elsa, HEMTJANST } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
beforeAll(async () => {
  // The deadlines are computed from the wall clock's today: the API lives on it too.
  api = await startTestApi({ clock: () => new Date() });
  driver = planDriver(api);
});
afterAll(() => api?.close());

/** A plan whose discharge was reported four days ago, with no kallelse: its kallelse deadline is overdue now. */
async function overduePlan() {
  const fourDaysAgo = toStockholmTimestamp(addStockholmDays(new Date(), -4));
  const planId = await driver.create({ ...elsa, initiation: { ...elsa.initiation, noticedAt: fourDaysAgo } });
  await driver.expectOk(planId, '/discharge-events', { event: 'readyForDischarge', at: fourDaysAgo });
  // Shared with every organisation of the plan: the other organisations see its deadlines too.
  await driver.expectOk(planId, '/consents', sharingConsent(fourDaysAgo));
  return planId;
}

describe('GET /plans/{planId}/deadlines', () => {
  it('shows each deadline with its due time, its state now, and who is reminded', async () => {
    const planId = await overduePlan();
    const res = await api.call('GET', `/plans/${planId}/deadlines`);
    expect(res.status).toBe(200);
    expect(res.json.remindersGoTo).toEqual({
      role: 'convener',
      organisationId: elsa.convener.organisationId,
    });
    const kallelse = res.json.items.find((d: { key: string }) => d.key.startsWith('kallelseAfterDischarge@'));
    expect(kallelse).toMatchObject({ kind: 'kallelseAfterDischarge', state: 'overdue', reminders: [] });
    expect(kallelse.stages.map((s: { name: string }) => s.name)).toEqual(['reminder', 'overdue']);
    expect(kallelse.dueAt).toMatch(/T00:00:00\.000\+0[12]:00$/);
    const start = res.json.items.find((d: { key: string }) => d.key === 'startWithoutDelay');
    expect(start.state).toBe('upcoming');
    // An open plan owes no notice that it has ended.
    expect(res.json.notices).toEqual([]);
  });
});

describe('GET /deadlines', () => {
  it('lists the overdue deadlines of the caller organisation’s plans, oldest first, page by page', async () => {
    const first = await overduePlan();
    const second = await overduePlan();
    const seen: { planId: string; key: string; dueAt: string }[] = [];
    let cursor: string | undefined;
    do {
      const res = await api.call(
        'GET',
        `/deadlines?state=overdue&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        {
          as: { organisationId: HEMTJANST },
        },
      );
      expect(res.status).toBe(200);
      seen.push(...res.json.items);
      cursor = res.json.nextCursor;
    } while (cursor);
    const ours = seen.filter((d) => d.planId === first || d.planId === second);
    expect(ours.map((d) => d.key.split('@')[0])).toEqual([
      'kallelseAfterDischarge',
      'kallelseAfterDischarge',
    ]);
    const dueTimes = seen.map((d) => d.dueAt);
    expect(dueTimes).toEqual([...dueTimes].sort());

    const other = await api.call('GET', '/deadlines', { as: { organisationId: OTHER_ORG } });
    expect(other.json.items.some((d: { planId: string }) => d.planId === first)).toBe(false);
  });

  it('refuses an unknown state with 400 naming the parameter', async () => {
    const res = await api.call('GET', '/deadlines?state=late');
    expect(res.status).toBe(400);
    expect(res.json.errors[0].parameter).toBe('state');
  });
});
