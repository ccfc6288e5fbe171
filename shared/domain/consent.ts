/**
 * samtycke. Two separate consents: information sharing between named parties, and establishing the plan.
 * Never general (it names its recipients and the information), at most one year long, withdrawable at any
 * time. The rules that use consents (validity at an instant, lapse) live with the process commands.
 */

import * as z from 'zod/mini';
import { ALL_CATEGORIES, InformationCategory as Category, type InformationCategory } from './information.ts';
import { Actor } from './people.ts';
import { Bounds, Id, list, OrganisationId, Timestamp, text } from './schema.ts';
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
  /**
   * Which information may be shared, in the consent's own words: documentation. What each recipient may
   * read is `releases`; a consent recorded before categories existed has only this text and releases every
   * category, as it did then.
   */
  scope: z.optional(text(Bounds.medium)),
  givenAt: Timestamp,
};

const categoryList = z.array(Category).check(
  z.minLength(1),
  z.maxLength(4),
  z.refine((categories) => new Set(categories).size === categories.length, 'each category once'),
);

/** What one recipient of an information-sharing consent may receive. */
export const ConsentRelease = z.strictObject({ organisationId: OrganisationId, categories: categoryList });

/** A withdrawal for one recipient: the others keep what the consent gives them. */
export const RecipientWithdrawal = z.strictObject({
  organisationId: OrganisationId,
  withdrawnAt: Timestamp,
  recordedAt: Timestamp,
  recordedBy: Actor,
});

export const Consent = z
  .strictObject({
    id: Id,
    ...consentTerms,
    expiresAt: Timestamp,
    /** How an oral or presumed consent was documented. */
    documentation: z.optional(text(Bounds.medium)),
    recordedAt: Timestamp,
    recordedBy: Actor,
    /** Information sharing: per recipient, the categories it may receive (one entry for each recipient). */
    releases: z.optional(list(ConsentRelease)),
    /** The whole consent withdrawn: it holds for no one from then on. */
    withdrawnAt: z.optional(Timestamp),
    /** Withdrawn for some recipients only. When the last one is withdrawn, the whole consent is. */
    withdrawals: z.optional(list(RecipientWithdrawal)),
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
      const released = consent.releases?.map((r) => r.organisationId) ?? consent.recipients;
      if (
        released.length !== consent.recipients.length ||
        !released.every((id) => consent.recipients.includes(id))
      )
        ctx.issues.push({
          code: 'custom',
          message: 'one release for each recipient',
          path: ['releases'],
          input: consent.releases,
        });
      if (consent.withdrawals?.some((w) => !consent.recipients.includes(w.organisationId)))
        ctx.issues.push({
          code: 'custom',
          message: 'a withdrawal names a recipient of the consent',
          path: ['withdrawals'],
          input: consent.withdrawals,
        });
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

/** The categories `consent` releases to `organisationId` (none when it does not name it). */
export function releasedBy(consent: Consent, organisationId: string): ReadonlySet<InformationCategory> {
  if (consent.kind !== 'informationSharing' || !consent.recipients.includes(organisationId)) return new Set();
  if (!consent.releases) return ALL_CATEGORIES;
  return new Set(consent.releases.find((r) => r.organisationId === organisationId)?.categories ?? []);
}

/** When `consent` stops naming `organisationId` by a withdrawal — of the whole consent or for it alone. */
export function withdrawnFor(consent: Consent, organisationId: string): string | undefined {
  const own = consent.withdrawals?.find((w) => w.organisationId === organisationId)?.withdrawnAt;
  return [consent.withdrawnAt, own]
    .filter((at): at is string => at !== undefined)
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}

/** Does `consent` name `organisationId` at `now`: given, not expired, not withdrawn (for it or as a whole)? */
export function namesAt(consent: Consent, organisationId: string, now: Date): boolean {
  if (!consent.recipients.includes(organisationId)) return false;
  const at = now.getTime();
  const withdrawn = withdrawnFor(consent, organisationId);
  return (
    Date.parse(consent.givenAt) <= at &&
    at < Date.parse(consent.expiresAt) &&
    (withdrawn === undefined || at < Date.parse(withdrawn))
  );
}

/** A refusal of consent: accepted, and recorded with the fact that the individual was informed first. */
export const ConsentRefusal = z.strictObject({
  refusedAt: Timestamp,
  informedFirst: z.literal(true),
  note: z.optional(text(Bounds.medium)),
  recordedBy: Actor,
});
