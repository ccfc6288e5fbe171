/**
 * Plans written before the reminder book carry the check's bookkeeping inside them: `reminders`, and a
 * consent's `lapsedAt`. The fixtures here are written as the previous version's check wrote them (a new
 * version of the plan, a `recordReminders` revision, in the plan store's one transaction). The check must
 * treat them as sent before the migration has run, and the migration must move them without a repeat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_SETTINGS } from '../../shared/domain/deadlines/settings.ts';
import type { Plan } from '../../shared/domain/plan.ts';
import { nextVersion } from '../../shared/domain/plan-edits.ts';
import { addStockholmDays, toStockholmTimestamp } from '../../shared/domain/time.ts';
import { runDeadlineCheck } from '../../shared/reminders/check.ts';
import type { ReminderMessage } from '../../shared/reminders/message.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { migrateReminders } from '../../shared/store/migrate-reminders.ts';
import { createPlanStore } from '../../shared/store/plan-store.ts';
import { createReminderBook } from '../../shared/store/reminder-book.ts';
import { createReportStore } from '../../shared/store/report-events.ts';
import { startTestApi } from '../support/api.ts';
import { planDriver, sharingConsent } from '../support/process.ts';
import { elsa, VARDCENTRAL } from '../support/scenarios.ts';

const NOW = new Date('2027-01-10T10:00:00+01:00');
const tableName = () => process.env.TABLE_NAME ?? '';
let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
const client = () =>
  createDocumentClient({ tableName: tableName(), endpoint: process.env.DYNAMODB_ENDPOINT });
const stores = () => ({
  plans: createPlanStore(client(), tableName()),
  book: createReminderBook(client(), tableName()),
  reports: createReportStore(client(), tableName()),
});
beforeAll(async () => {
  api = await startTestApi({ clock: () => NOW });
  driver = planDriver(api);
});
afterAll(() => api?.close());

/** What the previous check wrote: the records in the plan, lapsed consents marked, a new version. */
async function writtenByPreviousCheck(
  planId: string,
  stages: [key: string, stage: string, superseded?: boolean][],
  lapsed = false,
) {
  const { plans } = stores();
  const plan = (await plans.get(planId)) as Plan;
  const at = toStockholmTimestamp(new Date(NOW.getTime() - 86_400_000));
  const candidate: Plan = {
    ...plan,
    reminders: stages.map(([key, stage, superseded]) => ({
      id: `${key}/${stage}`,
      deadlineKey: key,
      stage,
      dueAt: at,
      queuedAt: at,
      recipient: { role: 'convener' as const, organisationId: VARDCENTRAL },
      ...(superseded && { superseded: true }),
    })),
    consents: plan.consents.map((c) => (lapsed ? { ...c, lapsedAt: at } : c)),
  };
  const actor = { userId: 'deadline-check', organisationId: 'sip-service' };
  const edit = nextVersion(plan, candidate, { actor, now: new Date(NOW.getTime() - 86_400_000) });
  await plans.save({
    plan: edit.plan,
    previous: plan,
    revision: {
      planId,
      version: edit.plan.version,
      action: 'recordReminders',
      at: edit.plan.updatedAt,
      by: actor,
      changes: edit.changes,
    },
  });
  return edit.plan;
}

describe('plans written before the reminder book', () => {
  it('are read as sent by the check, then moved by the migration: not a single repeated reminder', async () => {
    // A: discharge four days ago, no kallelse: the previous check sent "overdue" and superseded "reminder".
    const fourDaysAgo = toStockholmTimestamp(addStockholmDays(NOW, -4));
    const a = await driver.create({ ...elsa, initiation: { ...elsa.initiation, noticedAt: fourDaysAgo } });
    await driver.expectOk(a, '/discharge-events', { event: 'readyForDischarge', at: fourDaysAgo });
    const day = fourDaysAgo.slice(0, 10);
    await writtenByPreviousCheck(a, [
      [`kallelseAfterDischarge@${day}`, 'reminder', true],
      [`kallelseAfterDischarge@${day}`, 'overdue'],
      ['startWithoutDelay', 'overdue'],
    ]);
    // B: a consent that expired yesterday: lapse marked and reminded; the 30- and 7-day reminders sent before.
    const b = await driver.create();
    await driver.expectOk(b, '/consents', {
      ...sharingConsent('2026-01-09T10:00:00+01:00'),
      expiresAt: '2027-01-09T10:00:00+01:00',
    });
    const consentId = ((await stores().plans.get(b)) as Plan).consents[0]?.id;
    const migrated = await writtenByPreviousCheck(
      b,
      [
        [`consentExpiry:${consentId}`, 'reminder-30d'],
        [`consentExpiry:${consentId}`, 'reminder-7d'],
        [`consentExpiry:${consentId}`, 'lapse'],
        ['startWithoutDelay', 'overdue'],
        ['meetingAfterNeed', 'reminder'],
        ['meetingAfterNeed', 'overdue'],
      ],
      true,
    );
    const legacy = [a, b];
    const sent: ReminderMessage[] = [];
    const check = () =>
      runDeadlineCheck({
        ...stores(),
        queue: { send: async (m) => void sent.push(...m) },
        settings: DEFAULT_DEADLINE_SETTINGS,
        now: NOW,
      });

    // Before the migration: the check's fallback reads the plans' own records.
    await check();
    const repeats = (messages: ReminderMessage[]) => messages.filter((m) => legacy.includes(m.planId));
    expect(repeats(sent)).toEqual([]);

    const result = await migrateReminders({
      client: client(),
      tableName: tableName(),
      ...stores(),
      settings: DEFAULT_DEADLINE_SETTINGS,
      now: NOW,
    });
    expect(result).toMatchObject({ plansMoved: 2, recordsMoved: 9, plansLeft: 0 });
    for (const planId of legacy) {
      const plan = (await stores().plans.get(planId)) as Plan;
      expect(plan.reminders).toBeUndefined();
      expect(plan.consents.every((c) => c.lapsedAt === undefined)).toBe(true);
      // Not a user's change: the version and ETag stay.
      expect((await api.call('GET', `/plans/${planId}`)).headers.get('etag')).toMatch(
        new RegExp(`^"${planId === b ? migrated.version : plan.version}\\.[\\w-]+"$`),
      );
    }
    expect((await stores().book.handled(b)).map((r) => r.stage).sort()).toEqual(
      ['lapse', 'overdue', 'reminder', 'reminder-30d', 'reminder-7d', 'overdue'].sort(),
    );
    // The reports counted B's lapse through its write; that count is on record, so the check adds none.
    expect((await stores().reports.countedTimedStates(b))?.states.lapsedConsent).toBe(1);

    // After: the book alone. Again nothing repeated, however often the check runs.
    await check();
    await check();
    expect(repeats(sent)).toEqual([]);
    // And a second run of the migration finds nothing to move.
    expect(
      await migrateReminders({
        client: client(),
        tableName: tableName(),
        ...stores(),
        settings: DEFAULT_DEADLINE_SETTINGS,
        now: NOW,
      }),
    ).toMatchObject({ plansMoved: 0 });
    console.info(
      `[migration] ${result.plansMoved} plans, ${result.recordsMoved} records moved; ${repeats(sent).length} reminders repeated`,
    );
  }, 120_000);
});
