/**
 * Every party's identity. Units of a region or a municipality (and private providers working for them) are
 * named by their HSA-id; Försäkringskassan, Arbetsförmedlingen, an employer or an association by its
 * organisation number; anything else by an id of a stated other kind (e.g. one the region assigns).
 */
import * as z from 'zod/mini';
import { luhnValid } from './personal-identity.ts';

/** hsaId: `SE2321000131-E000000000001`; organisationNumber: `202100-5521`; other: an id the parties agree on. */
export const OrganisationIdKind = z.enum(['hsaId', 'organisationNumber', 'other']);
export type OrganisationIdKind = z.infer<typeof OrganisationIdKind>;

/**
 * An HSA-id: `SE`, the issuing organisation's ten-digit organisation number, `-`, and the unit's own part
 * (letters and digits; the whole id at most 31 characters, as the HSA catalogue allows).
 */
const HSA_ID = /^SE\d{10}-[A-Za-z0-9]{1,18}$/;

/** An organisation number: `NNNNNN-NNNN`. */
const ORGANISATION_NUMBER = /^(\d{6})-(\d{4})$/;

/**
 * What is wrong with `id` as an id of `kind`, if anything. An organisation number has its check digit, and
 * its third digit is at least 2 (months 20–99): that is what tells it from a personnummer, which a sole
 * trader's number is and which must never be an organisation's id here.
 */
export function organisationIdProblem(id: string, kind: OrganisationIdKind): string | undefined {
  switch (kind) {
    case 'hsaId':
      return HSA_ID.test(id) ? undefined : 'expected an HSA-id such as SE2321000131-E000000000001';
    case 'organisationNumber': {
      const parts = ORGANISATION_NUMBER.exec(id);
      if (!parts) return 'expected an organisation number NNNNNN-NNNN, e.g. 202100-5521';
      if (Number(id[2]) < 2) return 'an organisation number has 2–9 as its third digit';
      return luhnValid(`${parts[1]}${parts[2]}`)
        ? undefined
        : 'the check digit of the organisation number is wrong';
    }
    case 'other':
      return undefined;
  }
}

/**
 * The kind an id has by its form, for parties whose kind is not stated (plans from before the kind was
 * explicit): an HSA-id, a valid organisation number, or `other`.
 */
export function organisationIdKindOf(id: string): OrganisationIdKind {
  if (!organisationIdProblem(id, 'hsaId')) return 'hsaId';
  if (!organisationIdProblem(id, 'organisationNumber')) return 'organisationNumber';
  return 'other';
}
