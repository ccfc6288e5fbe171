/** The individual (den enskilde): the person whose plan it is. */

import * as z from 'zod/mini';
import { PersonalIdentity } from './personal-identity.ts';
import { Bounds, Email, Mobile, text } from './schema.ts';

export const Address = z.strictObject({
  street: text(),
  postalCode: z.string().check(z.regex(/^\d{3} ?\d{2}$/, 'expected a Swedish postal code, e.g. 411 05')),
  city: text(),
  careOf: z.optional(text()),
});

/** Language and adapted information, so that the plan is one the individual can read as their own. */
export const Communication = z.strictObject({
  /** Preferred language, ISO 639-1 code (`sv`, `ar`, `fi` …). */
  language: z.optional(
    z.string().check(z.regex(/^[a-z]{2,3}$/, 'expected an ISO 639 language code, e.g. sv')),
  ),
  interpreterNeeded: z.optional(z.boolean()),
  interpreterLanguage: z.optional(text()),
  /** Needs for adapted information: easy Swedish, pictures, sign language, reading aloud … */
  adaptedInformation: z.optional(text(Bounds.medium)),
});

export const Individual = z.strictObject({
  personalIdentity: PersonalIdentity,
  name: text(),
  contact: z.optional(
    z.strictObject({
      address: z.optional(Address),
      email: z.optional(Email),
      mobile: z.optional(Mobile),
      phone: z.optional(text(40)),
    }),
  ),
  communication: z.optional(Communication),
});
export type Individual = z.infer<typeof Individual>;

/** How the individual (and next of kin) want to take part in the meetings. */
export const ParticipationPreferences = z.strictObject({
  ways: z.array(z.enum(['inPerson', 'digital', 'partOfMeeting', 'letterReadAloud'])).check(z.maxLength(4)),
  /** The individual agrees to a digital meeting (required before a kallelse may name one). */
  digitalMeetingAgreed: z.optional(z.boolean()),
  /** Next of kin may take part (the individual's consent). */
  nextOfKinMayTakePart: z.optional(z.boolean()),
  notes: z.optional(text(Bounds.medium)),
});
