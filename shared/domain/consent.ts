/**
 * samtycke. Two separate consents: information sharing between named parties, and establishing the plan.
 * Never general (it names its recipients and the information), at most one year long, withdrawable at any
 * time. The rules that use consents (validity at an instant, lapse) live with the process commands.
 */

import * as z from 'zod/mini';
import { Actor } from './people.ts';
import { Bounds, Id, OrganisationId, Timestamp, text } from './schema.ts';
import { addStockholmYears } from './time.ts';

export const ConsentKind = z.enum(['informationSharing', 'planEstablishment']);
export const ConsentForm = z.enum(['written', 'oral', 'presumed']);

export const ConsentGiver = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('individual') }),
  z.strictObject({ kind: z.literal('representative'), representativeId: Id }),
]);

/** What a consent says, as given: the same fields when it is recorded (`giveConsent`) and when it is kept. */
export const consentTerms = {
  kind: ConsentKind,
  form: ConsentForm,
  givenBy: ConsentGiver,
  /** The organisations that may receive information: at least one, never "everyone". */
  recipients: z.array(OrganisationId).check(z.minLength(1), z.maxLength(Bounds.list)),
  /** Which information may be shared. */
  scope: text(Bounds.medium),
  givenAt: Timestamp,
};

export const Consent = z
  .strictObject({
    id: Id,
    ...consentTerms,
    expiresAt: Timestamp,
    /** How an oral or presumed consent was documented. */
    documentation: z.optional(text(Bounds.medium)),
    recordedAt: Timestamp,
    recordedBy: Actor,
    withdrawnAt: z.optional(Timestamp),
    /**
     * Legacy: set by the deadline check of earlier versions when `expiresAt` passed. A consent lapses at
     * `expiresAt` by itself; nothing reads this, and `npm run migrate` removes it.
     */
    lapsedAt: z.optional(Timestamp),
  })
  .check(
    z.superRefine((consent, ctx) => {
      const problem = consentPeriodProblem(consent.givenAt, consent.expiresAt);
      if (problem)
        ctx.issues.push({ code: 'custom', message: problem, path: ['expiresAt'], input: consent.expiresAt });
    }),
  );
export type Consent = z.infer<typeof Consent>;

/** A consent ends after it starts and at most one year (Stockholm calendar) after it was given. */
export function consentPeriodProblem(givenAt: string, expiresAt: string): string | undefined {
  const given = new Date(givenAt);
  const expires = new Date(expiresAt);
  if (expires <= given) return 'a consent must expire after it was given';
  if (expires > addStockholmYears(given, 1)) return 'a consent lasts at most one year from when it was given';
  return undefined;
}

/** A refusal of consent: accepted, and recorded with the fact that the individual was informed first. */
export const ConsentRefusal = z.strictObject({
  refusedAt: Timestamp,
  informedFirst: z.literal(true),
  note: z.optional(text(Bounds.medium)),
  recordedBy: Actor,
});
