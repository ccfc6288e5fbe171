/**
 * Scenario 1 of SCENARIOS.md, Elsa: the outbox equals the table below, written from DOMAIN.md's deadline
 * table and the scenario alone (the dates are the scenario's days; day 0 is 2 November 2026).
 *
 * - Start without delay: no kallelse by the end of day 5 → overdue on day 6, to the convener (e-mail and,
 *   held until 08:00, SMS).
 * - Kallelse after discharge: ready day 6 14:10 → reminder at the start of day 8 (day 2 after), to the
 *   convener; the kallelse goes out at 10:00 the same day, so no overdue.
 * - The kallelse itself, day 8, to both invitees' contacts. Both answer by day 10: no answer reminder (day 11).
 * - Meeting held day 13: the meeting deadline (day 21) is met; established with the nurse as lead.
 * - Follow-up day 55: reminder 7 days before (day 48) and on the day, to the lead responsible (e-mail only);
 *   recorded on day 55, so no overdue.
 * - The follow-up closes the plan (day 55): every participating organisation is told, once, by e-mail — the
 *   vårdcentral at its lead responsible (Nina, before the convener Anna), home care and the geriatric team
 *   at their contacts in the kallelse (Bo, Greta; the ward's Karin, who noticed the need, has no address).
 */
import { describe, expect, it } from 'vitest';
import { compare, instant, type Row, runStory } from './runner.ts';
import { ANNA, BO, elsa, GRETA, NINA } from './stories.ts';

const normal: Row[] = [
  [6, 'startWithoutDelay', 'overdue', ANNA.email],
  [6, 'startWithoutDelay', 'overdue', ANNA.mobile],
  [8, 'kallelseAfterDischarge', 'reminder', ANNA.email],
  [8, 'kallelseAfterDischarge', 'reminder', ANNA.mobile],
  [8, 'kallelse', 'sent', BO.email],
  [8, 'kallelse', 'sent', GRETA.email],
  [48, 'followUp', 'reminder', NINA.email],
  [55, 'followUp', 'dueDay', NINA.email],
  [55, 'planEnded', 'closed', NINA.email],
  [55, 'planEnded', 'closed', BO.email],
  [55, 'planEnded', 'closed', GRETA.email],
];

/**
 * With the check stopped from day 5 12:00 to day 8 12:00: when it runs again, the kallelse has gone out
 * (10:00), so neither start-without-delay nor the kallelse reminder is due any more; the kallelse itself is.
 */
const caughtUp: Row[] = [
  [8, 'kallelse', 'sent', BO.email],
  [8, 'kallelse', 'sent', GRETA.email],
  [48, 'followUp', 'reminder', NINA.email],
  [55, 'followUp', 'dueDay', NINA.email],
  [55, 'planEnded', 'closed', NINA.email],
  [55, 'planEnded', 'closed', BO.email],
  [55, 'planEnded', 'closed', GRETA.email],
];

describe('scenario 1, Elsa, day by day', () => {
  it('sends exactly the reminders of the hand-written outbox: 0 missing, 0 extra, 0 duplicated', async () => {
    const { rows, plan, checkRuns } = await runStory(elsa);
    console.info(`[scenario] Elsa: ${checkRuns} check runs, ${rows.length} messages`);
    expect(compare(normal, rows)).toEqual({ missing: [], extra: [], duplicated: [] });
    expect(plan.refused).toEqual([]);
  }, 300_000);

  it('after the check was stopped for three days, sends what is still due, once', async () => {
    const { rows } = await runStory(elsa, {
      checkStopped: { from: instant(elsa.day0, 5, '12:00'), to: instant(elsa.day0, 8, '12:00') },
    });
    expect(compare(caughtUp, rows)).toEqual({ missing: [], extra: [], duplicated: [] });
  }, 300_000);
});
