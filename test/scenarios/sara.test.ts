/**
 * Scenario 3 of SCENARIOS.md, Sara: the outbox equals the table below, written from DOMAIN.md's deadline
 * table and the scenario alone (day 0 is 1 February 2027; the clinic's doctor is lead responsible).
 *
 * - Before establishment nothing is due: the kallelse goes on day 3 (start without delay: day 5), the
 *   summoned answer on day 5 (reminder: day 13), the meeting is held on day 15 (deadline: day 21).
 * - The kallelse itself, day 3, to the one invitee with an address: the addiction unit, at the contact person
 *   the plan names for it (the kallelse names no contacts).
 * - Follow-up on day 90, recorded on day 92: reminder on day 83, on the day (90), overdue the day after (91).
 * - The consents given on day 0 expire on day 365 (1 February 2028): 30 days before, day 335, one reminder
 *   for each kind (sharing, establishment); the sharing one's withdrawal for the addiction unit alone on
 *   day 200 leaves it in force for the others. Both are renewed on day 340: no 7-day reminder, no lapse.
 * - Second follow-up on day 400: reminder on day 393, and on the day; recorded that day, closing the plan.
 * - The closure is told that day to every participating organisation that has an address: the clinic at its
 *   lead responsible (Lars), and the addiction unit at its contact person — though its consent to share was
 *   withdrawn on day 200. The others (beroendemottagningen, Försäkringskassan, Arbetsförmedlingen) have no
 *   address in the plan: recorded as undeliverable, each once.
 */
import { describe, expect, it } from 'vitest';
import { compare, instant, type PlanClient, type Row, runStory } from './runner.ts';
import { AF, BEROENDE, FK, LARS, MISSBRUK, MISSBRUK_RECEPTION, PSYK, sara } from './stories.ts';

const normal: Row[] = [
  [3, 'kallelse', 'sent', MISSBRUK_RECEPTION.email],
  [83, 'followUp', 'reminder', LARS.email],
  [90, 'followUp', 'dueDay', LARS.email],
  [91, 'followUp', 'overdue', LARS.email],
  [335, 'consentExpiry', 'reminder-30d', LARS.email],
  [335, 'consentExpiry', 'reminder-30d', LARS.email],
  [393, 'followUp', 'reminder', LARS.email],
  [400, 'followUp', 'dueDay', LARS.email],
  [400, 'planEnded', 'closed', LARS.email],
  [400, 'planEnded', 'closed', MISSBRUK_RECEPTION.email],
];

/**
 * With the check stopped from day 89 12:00 to day 92 12:00: the follow-up is still not recorded then (14:00),
 * and both "on the day" and "overdue" are due — only the latest goes.
 */
const caughtUp: Row[] = [
  [3, 'kallelse', 'sent', MISSBRUK_RECEPTION.email],
  [83, 'followUp', 'reminder', LARS.email],
  [92, 'followUp', 'overdue', LARS.email],
  [335, 'consentExpiry', 'reminder-30d', LARS.email],
  [335, 'consentExpiry', 'reminder-30d', LARS.email],
  [393, 'followUp', 'reminder', LARS.email],
  [400, 'followUp', 'dueDay', LARS.email],
  [400, 'planEnded', 'closed', LARS.email],
  [400, 'planEnded', 'closed', MISSBRUK_RECEPTION.email],
];

describe('scenario 3, Sara, day by day over 400 days', () => {
  it('sends exactly the reminders of the hand-written outbox: 0 missing, 0 extra, 0 duplicated', async () => {
    // The day after, the clinic reads who was told of the closure and when, as the record says.
    let notices: { organisationId: string; queuedAt?: string; undeliverable?: boolean }[] = [];
    const read = {
      day: 401,
      at: '09:00',
      run: async (p: PlanClient) => {
        notices = (await p.deadlines(PSYK)).notices;
      },
    };
    const { rows, plan, checkRuns } = await runStory({ ...sara, steps: [...sara.steps, read] });
    console.info(`[scenario] Sara: ${checkRuns} check runs, ${rows.length} messages`);
    expect(compare(normal, rows)).toEqual({ missing: [], extra: [], duplicated: [] });
    expect(plan.refused).toEqual([]);
    // Each organisation once, on day 400 at 14:00, the check's first run after the closure.
    const told = instant(sara.day0, 400, '14:00').getTime();
    expect(
      notices
        .map((n) => [n.organisationId, Date.parse(n.queuedAt ?? '') === told, n.undeliverable ?? false])
        .sort(),
    ).toEqual(
      [
        [PSYK, true, false],
        [MISSBRUK, true, false],
        [BEROENDE, true, true],
        [FK, true, true],
        [AF, true, true],
      ].sort(),
    );
  }, 300_000);

  it('after the check was stopped for three days, sends the latest stage only, once', async () => {
    const { rows } = await runStory(sara, {
      checkStopped: { from: instant(sara.day0, 89, '12:00'), to: instant(sara.day0, 92, '12:00') },
    });
    expect(compare(caughtUp, rows)).toEqual({ missing: [], extra: [], duplicated: [] });
  }, 300_000);
});
