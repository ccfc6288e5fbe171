/**
 * Sara's day 200 (SCENARIOS.md 3): she withdraws her consent to sharing with the municipality's addiction
 * unit. The unit loses access the moment it is recorded; the joint beroendemottagning and Arbetsförmedlingen,
 * named by the same consent, keep theirs; the revision says whose access ended. Played over HTTP from the
 * story's steps up to day 199, then day 200 step by step.
 */
import { describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.ts';
import { instant, planClient } from './runner.ts';
import { AF, BEROENDE, FK, MISSBRUK, PSYK, sara } from './stories.ts';

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read as a client reads them
type Json = any;

const as = (org: string) => ({ as: { organisationId: org, userId: `user@${org}` } });

describe('Sara, day 200: her consent withdrawn for the addiction unit alone', () => {
  it('ends its access at once, keeps the others’, and the revision names it', async () => {
    let clock = instant(sara.day0, 0);
    const api = await startTestApi({ clock: () => clock });
    const plan = planClient(api);
    try {
      for (const step of sara.steps.filter((s) => s.day < 200)) {
        clock = instant(sara.day0, step.day, step.at);
        await step.run(plan);
      }
      clock = instant(sara.day0, 200, '09:00');
      const read = (org: string) => api.call('GET', `/plans/${plan.planId}`, as(org));
      // Before: the unit reads the plan, and finds it in its list.
      expect((await read(MISSBRUK)).status).toBe(200);
      const sharing = plan.current().consents.find((c: Json) => c.kind === 'informationSharing');
      const url = `/plans/${plan.planId}/consents/${sharing.id}/withdrawal`;
      const withdraw = async (body: object, headers: Record<string, string> = {}) =>
        api.call('POST', url, {
          body,
          headers: { 'if-match': (await read(PSYK)).headers.get('etag') ?? '', ...headers },
          ...as(PSYK),
        });

      // Dated ahead, or naming an organisation the consent does not: refused, and nothing is written.
      const ahead = await withdraw({ recipients: [MISSBRUK], withdrawnAt: instant(sara.day0, 200, '12:00') });
      expect([ahead.status, ahead.json.type]).toEqual([409, '/problems/moment-in-future']);
      const stranger = await withdraw({ recipients: ['SE2120001801-E000000000999'] });
      expect([stranger.status, stranger.json.type, stranger.json.pointer]).toEqual([
        409,
        '/problems/not-a-recipient',
        '/recipients/0',
      ]);
      expect((await read(MISSBRUK)).status).toBe(200);

      clock = instant(sara.day0, 200, '10:00');
      const withdrawn = await withdraw({ recipients: [MISSBRUK] });
      expect(withdrawn.status).toBe(200);

      // At once: the unit gets 404 everywhere, as for a plan that does not exist, and no list shows it.
      clock = instant(sara.day0, 200, '10:01');
      for (const path of ['', '/document', '/deadlines', '/revisions']) {
        expect((await api.call('GET', `/plans/${plan.planId}${path}`, as(MISSBRUK))).status, path).toBe(404);
      }
      const list = await api.call('GET', '/plans', as(MISSBRUK));
      expect(list.json.items.map((item: Json) => item.planId)).not.toContain(plan.planId);
      // The others named by the same consent keep reading all of it.
      for (const org of [BEROENDE, AF, FK]) {
        const answer = await read(org);
        expect(answer.status, org).toBe(200);
        expect(answer.json.individual.personalIdentity, org).toBeDefined();
        expect(answer.json.content.interventions.length, org).toBe(3);
      }

      // The consent says so: withdrawn for the unit alone, at the moment recorded; not as a whole.
      const consent = (await read(PSYK)).json.consents.find((c: Json) => c.id === sharing.id);
      expect(consent.withdrawnAt).toBeUndefined();
      expect(consent.withdrawals).toEqual([
        expect.objectContaining({ organisationId: MISSBRUK, withdrawnAt: expect.any(String) }),
      ]);
      expect(Date.parse(consent.withdrawals[0].withdrawnAt)).toBe(instant(sara.day0, 200, '10:00').getTime());
      // The revision says whose access ended.
      const revisions = await api.call('GET', `/plans/${plan.planId}/revisions?limit=100`, as(PSYK));
      const last = revisions.json.items.at(-1);
      expect(last).toMatchObject({ action: 'withdrawConsent', organisations: [MISSBRUK] });
      expect(last.changes).toEqual([`/consents/${plan.current().consents.indexOf(sharing)}/withdrawals`]);

      // Withdrawing it for the unit again is refused; the lead responsible, still named, keeps the plan going.
      const again = await withdraw({ recipients: [MISSBRUK] });
      expect([again.status, again.json.type]).toEqual([409, '/problems/recipient-already-withdrawn']);
      const now = (await read(PSYK)).json;
      expect(now.status).toBe('established');
      expect(now.earlyFollowUp).toBeUndefined();
    } finally {
      await api.close();
    }
  }, 120_000);
});
