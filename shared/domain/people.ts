/** People and organisations that take part in a plan. */
import * as z from 'zod/mini';
import { OrganisationIdKind, organisationIdProblem } from './organisation-id.ts';
import { Bounds, Email, Id, Mobile, OrganisationId, text } from './schema.ts';

/** A named person with the contact details reminders and kallelser are sent to. */
export const Person = z.strictObject({
  name: text(),
  title: z.optional(text()),
  email: z.optional(Email),
  mobile: z.optional(Mobile),
  phone: z.optional(text(40)),
});
export type Person = z.infer<typeof Person>;

/** huvudman: the legal owner of an organisation's duty. */
export const Principal = z.enum(['municipality', 'region', 'other']);
export type Principal = z.infer<typeof Principal>;

/** kallad (obliged to take part) or inbjuden (invited, not obliged). */
export const Participation = z.enum(['summoned', 'invited']);

/** A verksamhet or enhet taking part in the plan. */
export const ParticipatingOrganisation = z
  .strictObject({
    organisationId: OrganisationId,
    /** What kind of id `organisationId` is; when left out, the kind its form shows (`organisationIdKindOf`). */
    organisationIdKind: z.optional(OrganisationIdKind),
    name: text(),
    unit: z.optional(text()),
    principal: Principal,
    /** The municipality's or region's name, e.g. "Göteborgs Stad", "Västra Götalandsregionen". */
    principalName: text(),
    /** Kind of unit, e.g. "vårdcentral", "socialtjänstens myndighetsenhet", "skola". */
    unitKind: text(),
    participation: Participation,
    contactPerson: z.optional(Person),
  })
  .check(
    z.refine((o) => o.participation === 'invited' || o.principal !== 'other', {
      message: 'only a unit under a municipality or a region can be summoned; others are invited',
      path: ['participation'],
    }),
    z.superRefine((o, ctx) => {
      const problem = organisationIdKindProblem(o);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, path: ['organisationId'], input: o });
    }),
  );
export type ParticipatingOrganisation = z.infer<typeof ParticipatingOrganisation>;

/**
 * A stated kind must fit the id, and a unit under a region or a municipality states an HSA-id: that is how
 * the region's and the municipality's catalogues name their units.
 */
function organisationIdKindProblem(o: {
  organisationId: string;
  organisationIdKind?: OrganisationIdKind | undefined;
  principal: Principal;
}): string | undefined {
  if (!o.organisationIdKind) return undefined;
  if (o.principal !== 'other' && o.organisationIdKind !== 'hsaId')
    return 'a unit under a region or a municipality is named by its HSA-id (organisationIdKind hsaId)';
  return organisationIdProblem(o.organisationId, o.organisationIdKind);
}

/** The organisation and person acting, as recorded with a need, a convener or a lead responsible. */
export const OrganisationPerson = z.strictObject({
  organisationId: OrganisationId,
  name: text(),
  unit: z.optional(text()),
  person: Person,
});
export type OrganisationPerson = z.infer<typeof OrganisationPerson>;

/** Who did something, as taken from the caller's token (never from the request body). */
export const Actor = z.strictObject({
  userId: text(),
  organisationId: OrganisationId,
  unitId: z.optional(text()),
});
export type Actor = z.infer<typeof Actor>;

export const RepresentativeKind = z.enum([
  'guardian',
  'administrator',
  'trustee',
  'personalAgent',
  'nextOfKin',
]);

/** What a representative may do for the individual. */
export const RepresentativePower = z.enum([
  'requestPlan',
  'consent',
  'represent',
  'attendMeetings',
  'receiveInformation',
]);
export type RepresentativePower = z.infer<typeof RepresentativePower>;

/**
 * A vårdnadshavare, förvaltare, god man, personligt ombud or närstående. The law limits what each may do:
 * a förvaltare may request, consent and represent; a god man only with the individual's consent; a personligt
 * ombud only on the individual's commission; next of kin take part only if the individual consents, and never
 * consent on the individual's behalf.
 */
export const Representative = z
  .strictObject({
    id: z.optional(Id),
    kind: RepresentativeKind,
    name: text(),
    relation: z.optional(text()),
    contact: z.optional(Person),
    powers: z.array(RepresentativePower).check(z.maxLength(5)),
    /** The individual has consented to this representative acting (needed for a god man and next of kin). */
    individualConsented: z.optional(z.boolean()),
    /** The individual has commissioned this personligt ombud. */
    commissioned: z.optional(z.boolean()),
    /**
     * A guardian of a child: the young person objects to this guardian taking part. Guardians take part
     * when it is suitable and the young person does not object (seed `004`); one objected to attends no
     * meeting and receives no information from the plan.
     */
    youngPersonObjects: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((r, ctx) => {
      const problem = representativeProblem(r);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, path: ['powers'], input: r.powers });
    }),
  );
export type Representative = z.infer<typeof Representative>;

/** What a guardian the young person objects to may no longer do: take part, or be told of the plan. */
const TAKING_PART: readonly RepresentativePower[] = ['attendMeetings', 'receiveInformation'];

function representativeProblem(r: {
  kind: z.infer<typeof RepresentativeKind>;
  powers: RepresentativePower[];
  individualConsented?: boolean | undefined;
  commissioned?: boolean | undefined;
  youngPersonObjects?: boolean | undefined;
}): string | undefined {
  if (new Set(r.powers).size !== r.powers.length) return 'each power may be listed once';
  if (r.youngPersonObjects !== undefined && r.kind !== 'guardian')
    return 'only a guardian can be objected to by the young person (youngPersonObjects)';
  if (r.youngPersonObjects && r.powers.some((power) => TAKING_PART.includes(power)))
    return 'the young person objects to this guardian taking part: it cannot attend meetings or receive information';
  if (r.powers.length === 0) return undefined;
  switch (r.kind) {
    case 'trustee':
      return r.individualConsented
        ? undefined
        : 'a god man acts only with the individual’s consent (individualConsented)';
    case 'personalAgent':
      return r.commissioned
        ? undefined
        : 'a personligt ombud acts only on the individual’s commission (commissioned)';
    case 'nextOfKin':
      if (r.powers.includes('consent') || r.powers.includes('represent'))
        return 'next of kin cannot consent for or represent the individual';
      if (!r.individualConsented && r.powers.some((p) => p !== 'requestPlan'))
        return 'next of kin take part only if the individual consents (individualConsented)';
      return undefined;
    default:
      return undefined;
  }
}

export const Representatives = z.array(Representative).check(z.maxLength(Bounds.list));
