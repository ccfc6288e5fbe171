/**
 * Scenario 3 of SCENARIOS.md, Sara: the outbox equals the table below, written from DOMAIN.md's deadline
 * table and the scenario alone (day 0 is 1 February 2027; the clinic's doctor is lead responsible).
 *
 * - Before establishment nothing is due: the kallelse goes on day 3 (start without delay: day 5), the
 *   summoned answer on day 5 (reminder: day 13), the meeting is held on day 15 (deadline: day 21).
 * - Follow-up on day 90, recorded on day 92: reminder on day 83, on the day (90), overdue the day after (91).
 * - The consents given on day 0 expire on day 365 (1 February 2028): 30 days before, day 335, one reminder
 *   for each kind (sharing, establishment); the sharing one's withdrawal for the addiction unit alone on
 *   day 200 leaves it in force for the others. Both are renewed on day 340: no 7-day reminder, no lapse.
 * - Second follow-up on day 400: reminder on day 393, and on the day; recorded that day, closing the plan.
 */
import { describe, expect, it } from 'vitest';
import { compare, instant, type Row, runStory } from './runner.ts';
import { LARS, sara } from './stories.ts';

const normal: Row[] = [
  [83, 'followUp', 'reminder', LARS.email],
  [90, 'followUp', 'dueDay', LARS.email],
  [91, 'followUp', 'overdue', LARS.email],
  [335, 'consentExpiry', 'reminder-30d', LARS.email],
  [335, 'consentExpiry', 'reminder-30d', LARS.email],
  [393, 'followUp', 'reminder', LARS.email],
  [400, 'followUp', 'dueDay', LARS.email],
];

/**
 * With the check stopped from day 89 12:00 to day 92 12:00: the follow-up is still not recorded then (14:00),
 * and both "on the day" and "overdue" are due — only the latest goes.
 */
const caughtUp: Row[] = [
  [83, 'followUp', 'reminder', LARS.email],
  [92, 'followUp', 'overdue', LARS.email],
  [335, 'consentExpiry', 'reminder-30d', LARS.email],
  [335, 'consentExpiry', 'reminder-30d', LARS.email],
  [393, 'followUp', 'reminder', LARS.email],
  [400, 'followUp', 'dueDay', LARS.email],
];

describe('scenario 3, Sara, day by day over 400 days', () => {
  it('sends exactly the reminders of the hand-written outbox: 0 missing, 0 extra, 0 duplicated', async () => {
    const { rows, plan, checkRuns } = await runStory(sara);
    console.info(`[scenario] Sara: ${checkRuns} check runs, ${rows.length} messages`);
    expect(compare(normal, rows)).toEqual({ missing: [], extra: [], duplicated: [] });
    expect(plan.refused).toEqual([]);
  }, 300_000);

  it('after the check was stopped for three days, sends the latest stage only, once', async () => {
    const { rows } = await runStory(sara, {
      checkStopped: { from: instant(sara.day0, 89, '12:00'), to: instant(sara.day0, 92, '12:00') },
    });
    expect(compare(caughtUp, rows)).toEqual({ missing: [], extra: [], duplicated: [] });
  }, 300_000);
});
