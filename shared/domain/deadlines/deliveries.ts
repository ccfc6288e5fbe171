/**
 * Deliveries: messages the process itself sends — the kallelse to each invitee (and its updates when the
 * meeting moves), and the notice to every participating organisation that the plan has ended. Not
 * deadlines: nothing is "due" of anyone, but they go through the same exactly-once path as the reminders.
 */
import { ENDED } from '../commands/lifecycle.ts';
import { participatingOrganisationIds } from '../participants.ts';
import type { Plan } from '../plan.ts';

/** How a plan ended, as its ending notice says: closed, closed and restarted, or SIP not needed. */
export const PLAN_ENDINGS = ['closed', 'restarted', 'notNeeded'] as const;
export type PlanEnding = (typeof PLAN_ENDINGS)[number];

interface DeliveryFacts {
  id: string;
  /** Who it goes to: the organisation, reached at its contact's address. */
  organisationId: string;
  /** When it goes out. */
  at: Date;
  /** Nothing to deliver any more. */
  moot: boolean;
}

export type Delivery =
  /**
   * `kallelse:<invitationId>#<meeting version>:<organisationId>/sent`: one per invitee and meeting time,
   * going out when the kallelse was sent or the meeting last moved; moot once the plan ended, the meeting
   * time passed or it was held, or the invitee forwarded it.
   */
  | (DeliveryFacts & { kind: 'kallelse'; invitationId: string })
  /**
   * `planEnded:<organisationId>/<outcome>`: one per participating organisation (a plan ends once, and how
   * it ended never changes after), going out when it ended. Never moot.
   */
  | (DeliveryFacts & { kind: 'planEnded'; outcome: PlanEnding });

/** Everything the process delivers at `now`: the kallelser, and the ending notices of an ended plan. */
export function deliveriesOf(plan: Plan, now: Date): Delivery[] {
  return [...kallelserOf(plan, now), ...endingNoticesOf(plan)];
}

/** The kallelser: one per invitee and version of the meeting (the calendar UID stays the invitation's). */
function kallelserOf(plan: Plan, now: Date): Delivery[] {
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

/**
 * How and when the plan ended, for the notices: closed (by `close`, a closing follow-up or the withdrawal
 * of the consent to establish it), closed and restarted, or assessed as not needed by inpatient care. A
 * refused consent or request ends the process before any plan was drawn up, and sends nothing.
 */
export function endingOf(plan: Plan): { outcome: PlanEnding; at: Date } | undefined {
  if (plan.status === 'closed' && plan.closure)
    return { outcome: plan.restartedAs ? 'restarted' : 'closed', at: new Date(plan.closure.closedAt) };
  const notNeeded = plan.discharge?.sipNotNeeded;
  if (plan.status === 'notNeeded' && notNeeded) {
    // Due from when it was recorded, not from `assessedAt` (inpatient care's moment, reported to us). An
    // ended plan is never written again, so a plan recorded before `recordedAt` existed ended at `updatedAt`.
    return { outcome: 'notNeeded', at: new Date(notNeeded.recordedAt ?? plan.updatedAt) };
  }
  return undefined;
}

/**
 * The ending notices: every participating organisation is told that the plan no longer applies — whatever
 * its consent, because the law wants everyone involved to learn it ("Det är viktigt för alla involverade …
 * att få veta när SIP inte längre gäller"; "Bedömningen att SIP inte behövs ska i sådana fall meddelas alla
 * berörda verksamheter"). The notice carries nothing but that fact, the date and a link, and the link opens
 * only for whoever may still read the plan.
 */
function endingNoticesOf(plan: Plan): Delivery[] {
  const ended = endingOf(plan);
  if (!ended) return [];
  return [...participatingOrganisationIds(plan)].map((organisationId) => ({
    id: `planEnded:${organisationId}/${ended.outcome}`,
    kind: 'planEnded' as const,
    outcome: ended.outcome,
    organisationId,
    at: ended.at,
    moot: false,
  }));
}
