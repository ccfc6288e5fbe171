/** samtycke: giving, withdrawing and refusing consent. */
import * as z from 'zod/mini';
import {
  type Consent,
  type ConsentGiver,
  ConsentRelease,
  consentPeriodProblem,
  consentTerms,
  namesAt,
} from '../consent.ts';
import { InformationCategory } from '../information.ts';
import { ageOn } from '../personal-identity.ts';
import type { Plan } from '../plan.ts';
import { Bounds, list, OrganisationId, Timestamp, text } from '../schema.ts';
import { addStockholmYears, toStockholmDate, toStockholmTimestamp } from '../time.ts';
import { closure } from './closure.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { assertHappened, assertNotBefore, CLOCK_SKEW_MS } from './moments.ts';
import { refuse } from './rules.ts';

export const GiveConsentInput = z
  .strictObject({
    ...consentTerms,
    /** Default: exactly one year after `givenAt`, the longest a consent may last. */
    expiresAt: z.optional(Timestamp),
    documentation: z.optional(text(Bounds.medium)),
    /** Information sharing: the categories every recipient may receive … */
    categories: z.optional(z.array(InformationCategory).check(z.minLength(1), z.maxLength(4))),
    /** … or, per recipient, where they differ (overrides `categories` for the recipients it names). */
    releases: z.optional(list(ConsentRelease)),
  })
  .check(
    z.superRefine((input, ctx) => {
      const issue = (message: string, path: string) =>
        ctx.issues.push({ code: 'custom', message, path: [path], input });
      if (input.kind === 'planEstablishment') {
        if (input.categories || input.releases)
          issue(
            'a consent to establish the plan releases no information: leave out categories',
            'categories',
          );
        return;
      }
      const stray = input.releases?.find((r) => !input.recipients.includes(r.organisationId));
      if (stray) issue(`${stray.organisationId} is not among the recipients`, 'releases');
      const named = new Set(input.releases?.map((r) => r.organisationId));
      if (input.releases && named.size !== input.releases.length)
        issue('one release per recipient', 'releases');
      if (!input.categories && input.recipients.some((id) => !named.has(id)))
        issue(
          'a consent is never general: name the categories of information each recipient may receive (categories, or releases per recipient)',
          'categories',
        );
    }),
  );

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
  const { categories, releases, ...terms } = input;
  const recipients = [...new Set(input.recipients)];
  const consent: Consent = {
    id: context.newId(),
    ...terms,
    recipients,
    ...(input.kind === 'informationSharing' && {
      releases: recipients.map((organisationId) => ({
        organisationId,
        categories:
          releases?.find((r) => r.organisationId === organisationId)?.categories ?? categories ?? [],
      })),
    }),
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
  /** Withdraw for these recipients only; the others keep what the consent gives them. Default: all. */
  recipients: z.optional(z.array(OrganisationId).check(z.minLength(1), z.maxLength(Bounds.list))),
  note: z.optional(text(Bounds.medium)),
  /** Used when withdrawing the planEstablishment consent closes the plan, as are the two below. */
  informed: z.optional(z.array(text()).check(z.maxLength(Bounds.list))),
  whereToTurn: z.optional(text(Bounds.medium)),
  individualToldAt: z.optional(Timestamp),
});

/**
 * Withdraws a consent, at any time — as a whole, or for some of its recipients, who lose access the moment
 * it is recorded while the others keep theirs. Withdrawing the consent to establish the plan closes the
 * plan (reason `consentWithdrawn`).
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
  const withdrawals = consent.withdrawals ?? [];
  const remaining = consent.recipients.filter((id) => !withdrawals.some((w) => w.organisationId === id));
  const named = input.recipients ? [...new Set(input.recipients)] : remaining;
  for (const [index, id] of named.entries()) {
    if (!consent.recipients.includes(id))
      refuse('not-a-recipient', `consent ${consent.id} does not name ${id}`, `/recipients/${index}`);
    if (!remaining.includes(id))
      refuse(
        'recipient-already-withdrawn',
        `consent ${consent.id} was already withdrawn for ${id}`,
        `/recipients/${index}`,
      );
  }
  // Withdrawn for every recipient left is the consent withdrawn as a whole.
  const whole = remaining.every((id) => named.includes(id));
  const recordedAt = toStockholmTimestamp(context.now);
  const withdrawn: Consent = whole
    ? { ...consent, withdrawnAt }
    : {
        ...consent,
        withdrawals: [
          ...withdrawals,
          ...named.map((organisationId) => ({
            organisationId,
            withdrawnAt,
            recordedAt,
            recordedBy: context.actor,
          })),
        ],
      };
  const consents = plan.consents.map((c) => (c.id === consent.id ? withdrawn : c));
  const next = leadStillNamed({ ...plan, consents }, context);
  // The revision names whose access ends, when it ends for some recipients only.
  const organisations = whole ? undefined : named;
  if (whole && consent.kind === 'planEstablishment' && plan.status === 'established') {
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
  return { plan: next, ...(organisations && { organisations }) };
}

/**
 * A withdrawal is never refused, even when it leaves the plan unable to go on as agreed: when no valid
 * information-sharing consent names the lead responsible's organisation any more, the plan says so — a
 * notice, and an early follow-up due, where the lead responsible is chosen again or the plan closed.
 */
function leadStillNamed(plan: Plan, context: CommandContext): Plan {
  const lead = plan.content?.leadResponsible?.organisationId;
  if (plan.status !== 'established' || !lead || plan.earlyFollowUp) return plan;
  const named = plan.consents.some((c) => c.kind === 'informationSharing' && namesAt(c, lead, context.now));
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
