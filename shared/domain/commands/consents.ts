/** samtycke: giving, withdrawing and refusing consent. */
import * as z from 'zod/mini';
import { type ConsentGiver, consentPeriodProblem, consentTerms } from '../consent.ts';
import { ageOn } from '../personal-identity.ts';
import type { Plan } from '../plan.ts';
import { Bounds, Timestamp, text } from '../schema.ts';
import { addStockholmYears, toStockholmDate, toStockholmTimestamp } from '../time.ts';
import { closure } from './closure.ts';
import { consentState } from './consent-rules.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { assertHappened, assertNotBefore, CLOCK_SKEW_MS } from './moments.ts';
import { refuse } from './rules.ts';

export const GiveConsentInput = z.strictObject({
  ...consentTerms,
  /** Default: exactly one year after `givenAt`, the longest a consent may last. */
  expiresAt: z.optional(Timestamp),
  documentation: z.optional(text(Bounds.medium)),
});

/** Records a consent. The giver must be allowed to consent; oral and presumed consents are documented. */
export function giveConsent(
  plan: Plan,
  input: z.infer<typeof GiveConsentInput>,
  context: CommandContext,
): CommandResult {
  const expiresAt = input.expiresAt ?? toStockholmTimestamp(addStockholmYears(new Date(input.givenAt), 1));
  const periodProblem = consentPeriodProblem(input.givenAt, expiresAt);
  if (periodProblem) refuse('consent-longer-than-a-year', periodProblem);
  if (Date.parse(input.givenAt) > context.now.getTime() + CLOCK_SKEW_MS) {
    refuse('consent-in-future', 'givenAt lies in the future', '/givenAt');
  }
  if (input.form !== 'written' && !input.documentation) {
    refuse(
      'consent-not-documented',
      `an ${input.form} consent needs its documentation: how and when it was given`,
    );
  }
  checkGiver(plan, input.givenBy);
  const consent = {
    id: context.newId(),
    ...input,
    recipients: [...new Set(input.recipients)],
    expiresAt,
    recordedAt: toStockholmTimestamp(context.now),
    recordedBy: context.actor,
  };
  return { plan: { ...plan, consents: [...plan.consents, consent] } };
}

/** Whether the individual is a child (under 18) on the day the need was noticed; unknown counts as adult. */
export function isChild(plan: Plan): boolean {
  const age = ageOn(plan.individual.personalIdentity, toStockholmDate(new Date(plan.initiation.noticedAt)));
  return age !== undefined && age < 18;
}

/**
 * Who may consent: the individual (an adult); a guardian for a child; a förvaltare; a god man only
 * with the individual's recorded consent. Next of kin and personligt ombud never consent for the individual.
 */
function checkGiver(plan: Plan, giver: z.infer<typeof ConsentGiver>): void {
  const child = isChild(plan);
  if (giver.kind === 'individual') {
    if (child)
      refuse('guardian-consent-required', 'the individual is under 18: a guardian gives the consent');
    return;
  }
  const representative = plan.representatives?.find((r) => r.id === giver.representativeId);
  if (!representative)
    refuse('representative-may-not-consent', `no representative ${giver.representativeId} in the plan`);
  if (child && representative.kind !== 'guardian') {
    refuse('guardian-consent-required', 'the individual is under 18: a guardian gives the consent');
  }
  const allowed =
    representative.powers.includes('consent') &&
    (representative.kind === 'administrator' ||
      (representative.kind === 'guardian' && child) ||
      (representative.kind === 'trustee' && representative.individualConsented === true));
  if (!allowed) {
    refuse(
      'representative-may-not-consent',
      `a ${representative.kind} ${representative.kind === 'guardian' ? 'of an adult ' : ''}cannot consent here` +
        (representative.kind === 'trustee' ? ' without the individual’s recorded consent' : ''),
    );
  }
}

export const WithdrawConsentInput = z.strictObject({
  withdrawnAt: z.optional(Timestamp),
  note: z.optional(text(Bounds.medium)),
  /** Used when withdrawing the planEstablishment consent closes the plan, as are the two below. */
  informed: z.optional(z.array(text()).check(z.maxLength(Bounds.list))),
  whereToTurn: z.optional(text(Bounds.medium)),
  individualToldAt: z.optional(Timestamp),
});

/**
 * Withdraws a consent, at any time. Withdrawing the consent to establish the plan closes the plan
 * (reason `consentWithdrawn`).
 */
export function withdrawConsent(
  plan: Plan,
  input: z.infer<typeof WithdrawConsentInput> & { consentId: string },
  context: CommandContext,
): CommandResult {
  const consent = plan.consents.find((c) => c.id === input.consentId);
  if (!consent) refuse('unknown-consent', `no consent ${input.consentId} on this plan`);
  if (consent.withdrawnAt) refuse('consent-already-withdrawn', `withdrawn at ${consent.withdrawnAt}`);
  const withdrawnAt = input.withdrawnAt ?? toStockholmTimestamp(context.now);
  // A withdrawal takes effect when it was made: never ahead, and not before the consent it ends.
  assertHappened(withdrawnAt, context.now, '/withdrawnAt');
  assertNotBefore(
    withdrawnAt,
    consent.givenAt,
    'withdrawal-before-consent',
    `withdrawnAt lies before the consent was given (${consent.givenAt})`,
    '/withdrawnAt',
  );
  const consents = plan.consents.map((c) => (c.id === consent.id ? { ...c, withdrawnAt } : c));
  const next = leadStillNamed({ ...plan, consents }, context);
  if (consent.kind === 'planEstablishment' && plan.status === 'established') {
    return {
      plan: closure(
        next,
        {
          reason: 'consentWithdrawn',
          informed: input.informed ?? [],
          whereToTurn: input.whereToTurn,
          individualToldAt: input.individualToldAt,
        },
        context,
      ),
    };
  }
  return { plan: next };
}

/**
 * A withdrawal is never refused, even when it leaves the plan unable to go on as agreed: when no valid
 * information-sharing consent names the lead responsible's organisation any more, the plan says so — a
 * notice, and an early follow-up due, where the lead responsible is chosen again or the plan closed.
 */
function leadStillNamed(plan: Plan, context: CommandContext): Plan {
  const lead = plan.content?.leadResponsible?.organisationId;
  if (plan.status !== 'established' || !lead || plan.earlyFollowUp) return plan;
  const named = plan.consents.some(
    (c) =>
      c.kind === 'informationSharing' &&
      c.recipients.includes(lead) &&
      consentState(c, context.now) === 'active',
  );
  if (named) return plan;
  const at = toStockholmTimestamp(context.now);
  return {
    ...plan,
    earlyFollowUp: { since: at, reason: 'leadResponsibleWithoutConsent' },
    notices: [
      ...plan.notices,
      {
        id: context.newId(),
        at,
        kind: 'leadResponsibleWithoutConsent',
        message:
          'Inget giltigt samtycke omfattar längre den huvudansvariga verksamheten: kalla till en tidig uppföljning.',
        organisationId: lead,
      },
    ],
  };
}

export const RefuseConsentInput = z.strictObject({
  refusedAt: z.optional(Timestamp),
  /** The individual was told what the plan is and what refusing means before refusing. */
  informedFirst: z.boolean(),
  note: z.optional(text(Bounds.medium)),
});

/** Records a refusal of consent, which is accepted and ends the process. */
export function refuseConsent(
  plan: Plan,
  input: z.infer<typeof RefuseConsentInput>,
  context: CommandContext,
): CommandResult {
  if (!input.informedFirst)
    refuse('not-informed-first', 'inform the individual first, then record the refusal');
  if (input.refusedAt) assertHappened(input.refusedAt, context.now, '/refusedAt');
  return {
    plan: {
      ...plan,
      status: 'consentRefused',
      consentRefusal: {
        refusedAt: input.refusedAt ?? toStockholmTimestamp(context.now),
        informedFirst: true,
        ...(input.note && { note: input.note }),
        recordedBy: context.actor,
      },
    },
  };
}
