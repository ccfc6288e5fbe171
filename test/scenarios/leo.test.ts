/**
 * Scenario 2 of SCENARIOS.md, Leo: the outbox equals the table below, written from DOMAIN.md's deadline
 * table and the scenario alone (day 0 is 1 March 2027; the school convenes, social services lead).
 *
 * - Day 4, the kallelse to both summoned invitees' contacts (BUP's reception, the family unit) and to the
 *   football coach, who is invited.
 * - Day 5, BUP forwards it to its neuropsychiatric team, which gets the kallelse then.
 * - The team has not answered two days before the meeting (day 16; meeting day 18): one reminder, to the
 *   convener. It answers on day 17.
 * - Established day 18 with a follow-up on day 60; the early follow-up on day 45 books the next on day 100:
 *   no reminder for day 60 (it would have come on day 53), and the next one's (day 93) is after the story.
 */
import { describe, expect, it } from 'vitest';
import { compare, instant, type Row, runStory } from './runner.ts';
import { BUP_RECEPTION, COACH, FAMILY_UNIT, leo, NEURO_TEAM, SANNA } from './stories.ts';

const normal: Row[] = [
  [4, 'kallelse', 'sent', BUP_RECEPTION.email],
  [4, 'kallelse', 'sent', FAMILY_UNIT.email],
  [4, 'kallelse', 'sent', COACH.email],
  [5, 'kallelse', 'sent', NEURO_TEAM.email],
  [16, 'invitationResponses', 'reminder', SANNA.email],
];

/**
 * With the check stopped from day 3 12:00 to day 6 12:00: by then BUP has forwarded the kallelse, so its
 * reception gets none; the family unit and the team get theirs on day 6.
 */
const caughtUp: Row[] = [
  [6, 'kallelse', 'sent', FAMILY_UNIT.email],
  [6, 'kallelse', 'sent', COACH.email],
  [6, 'kallelse', 'sent', NEURO_TEAM.email],
  [16, 'invitationResponses', 'reminder', SANNA.email],
];

describe('scenario 2, Leo, day by day', () => {
  it('sends exactly the reminders of the hand-written outbox: 0 missing, 0 extra, 0 duplicated', async () => {
    const { rows, plan, checkRuns } = await runStory(leo);
    console.info(`[scenario] Leo: ${checkRuns} check runs, ${rows.length} messages`);
    expect(compare(normal, rows)).toEqual({ missing: [], extra: [], duplicated: [] });
    expect(plan.refused).toEqual([]);
  }, 300_000);

  it('after the check was stopped for three days, sends no kallelse to the unit that forwarded it', async () => {
    const { rows } = await runStory(leo, {
      checkStopped: { from: instant(leo.day0, 3, '12:00'), to: instant(leo.day0, 6, '12:00') },
    });
    expect(compare(caughtUp, rows)).toEqual({ missing: [], extra: [], duplicated: [] });
  }, 300_000);
});
