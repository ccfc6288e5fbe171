/**
 * Deliveries: messages the process itself sends — the kallelse to each invitee (and its updates when the
 * meeting moves). Not deadlines: nothing is "due" of anyone, but they go through the same exactly-once
 * path as the reminders.
 */
import { ENDED } from '../commands/lifecycle.ts';
import type { Plan } from '../plan.ts';

export interface Delivery {
  /** `kallelse:<invitationId>#<meeting version>:<organisationId>/sent`: one per invitee and meeting time. */
  id: string;
  kind: 'kallelse';
  invitationId: string;
  organisationId: string;
  /** When it goes out: when the kallelse was sent, or the meeting last moved. */
  at: Date;
  /** Nothing to deliver any more: the plan ended, the meeting time passed or it was held, or the invitee forwarded it. */
  moot: boolean;
}

/** The kallelser to deliver at `now`: one per invitee and version of the meeting (the calendar UID stays the invitation's). */
export function deliveriesOf(plan: Plan, now: Date): Delivery[] {
  const ended = ENDED.includes(plan.status);
  return plan.invitations.flatMap((invitation) => {
    const at = new Date(invitation.rescheduledAt ?? invitation.sentAt);
    const version = invitation.reschedules ?? 0;
    const over =
      ended ||
      now >= new Date(invitation.startsAt) ||
      plan.meetings.some((m) => m.invitationId === invitation.id);
    // An invitee added by forwarding gets it too, and every move of the meeting sends an update; the unit
    // that forwarded has handed its part on.
    return invitation.invitees.map((invitee) => ({
      id: `kallelse:${invitation.id}#${version}:${invitee.organisationId}/sent`,
      kind: 'kallelse' as const,
      invitationId: invitation.id,
      organisationId: invitee.organisationId,
      at,
      moot: over || invitee.responses.some((response) => response.kind === 'forward'),
    }));
  });
}
