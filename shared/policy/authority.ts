/**
 * Who may change which part of a plan. Access (`decide` in `policy.ts`) says whether an organisation may
 * touch the plan at all; authority says which parts are its to change. The record is shared, but each part
 * has an owner (DOMAIN.md, "Who may change what"; SoL 2 kap. 7 §, HSL 16 kap. 4 §: no organisation decides
 * another's interventions):
 *
 * | part                                                         | who changes it                                 |
 * |--------------------------------------------------------------|------------------------------------------------|
 * | an intervention's what, performer, start, end, frequency, place | its responsible organisation                 |
 * | an organisation's contact persons (`content.contacts`, its `organisations` entry's `contactPerson`) | that organisation |
 * | the lead responsible's named person                          | the lead responsible's organisation            |
 * | goals, lead responsible, follow-up, the set of interventions, other actions, the meeting's record | only at a meeting: drafted by the convener before establishment, then by establishment or a revising follow-up |
 * | the individual, representatives, participation, the child's voice, which organisations take part | the keeper |
 * | the convener                                                 | the convener (hands it over)                   |
 * | kallelse, rescheduling, establishment, follow-ups, closure, restart, consents, refusals, "SIP not needed" | the keeper |
 * | an answer to a kallelse                                      | the invitee itself                             |
 * | a consent's withdrawal                                       | the keeper, or an organisation the consent names (the individual may tell either) |
 * | discharge events (admitted, ready for discharge, discharged) | any participant with access                    |
 *
 * The keeper is the convener's organisation before establishment and the lead responsible's after (the
 * convener's again while a withdrawn consent leaves the lead without one; see {@link keeperOf}).
 * Authority is per organisation: an organisation id is the HSA-id of the unit itself (or another unit
 * identifier), and the plan's `unit` fields are display names, not identities.
 *
 * Every refusal is a 403 whose `rule` names the rule and whose `pointer` names the part.
 */
import { changedPaths } from '../domain/changes.ts';
import type { CommandName } from '../domain/commands/lifecycle.ts';
import { withdrawnFor } from '../domain/consent.ts';
import { participatingOrganisationIds } from '../domain/participants.ts';
import type { Plan } from '../domain/plan.ts';

/** The rules of authority, each a 403 problem type `/problems/<rule>`; titles are what a client shows. */
export const AUTHORITY_RULES = {
  'keeper-only':
    'Only the convener (before the plan is established) or the lead responsible (after) may do this',
  'agreed-at-meeting':
    'Goals, the lead responsible, the follow-up and the set of interventions change only at a meeting',
  'own-interventions-only': 'Each organisation changes only its own interventions',
  'own-contacts-only': 'Each organisation changes only its own contact persons',
  'own-answer-only': 'Each invitee answers the kallelse for itself',
  'convener-hands-over': 'Only the convener hands over convening',
  'role-needs-consent': 'A role passes only to an organisation a valid information-sharing consent names',
  'must-stay-participant': 'Your organisation must take part in the plan it writes',
  'not-released-to-you':
    'Your organisation changes only parts of the plan its consent lets it read: it cannot see what it would overwrite',
} as const;
export type AuthorityRule = keyof typeof AUTHORITY_RULES;

export interface Refusal {
  rule: AuthorityRule;
  /** JSON Pointer of the part (into the plan for an edit, into the body for a command). */
  pointer: string;
  detail: string;
}

/** What is being written: a new plan, a merge patch, or a process command (with its body). */
export type Write =
  | { kind: 'create'; next: Plan }
  | { kind: 'patch'; previous: Plan; next: Plan }
  | {
      kind: 'command';
      name: CommandName;
      input: Record<string, unknown>;
      previous: Plan;
      /** The plan as the command leaves it; absent when the command itself refused. */
      next?: Plan | undefined;
    };

/**
 * The keeper's organisation: the convener's before establishment, the lead responsible's after — unless a
 * withdrawal left the lead without consent, when the convener (who always keeps the record) holds the early
 * follow-up that chooses the lead again.
 */
export function keeperOf(plan: Plan): string {
  const lead = plan.content?.leadResponsible?.organisationId;
  const leadWithoutConsent = plan.earlyFollowUp?.reason === 'leadResponsibleWithoutConsent';
  return plan.status === 'established' && lead && !leadWithoutConsent ? lead : plan.convener.organisationId;
}

/** Who may run each command, in words: the API's description of each command route says it. */
export const WHO_MAY: Record<CommandName, string> = {
  giveConsent: 'the keeper: the convener before establishment, the lead responsible after.',
  withdrawConsent:
    'the keeper, or an organisation the consent names (the individual may tell either). Never refused for what it leaves behind: a withdrawal that leaves the lead responsible without consent makes an early follow-up due.',
  refuseConsent: 'the keeper: the convener before establishment, the lead responsible after.',
  sendInvitation: 'the keeper: the convener before establishment, the lead responsible after.',
  rescheduleInvitation: 'the keeper: the convener before establishment, the lead responsible after.',
  respondToInvitation:
    'the invitee itself (`organisationId` is the caller’s organisation); a forward hands the answer to the unit it names.',
  establish: 'the convener.',
  recordFollowUp: 'the lead responsible (the convener while a withdrawal leaves the lead without consent).',
  close:
    'the keeper: the convener before establishment, the lead responsible after — who may close even once the consent that named it has ended.',
  restart: 'the keeper: the convener before establishment, the lead responsible after.',
  refuseRequest: 'the convener.',
  recordDischargeEvent:
    'any participating organisation with access (inpatient care reports); `sipNotNeeded`, which ends the process, only the keeper.',
};

/** Who changes which part by an edit, as a Markdown list (the PATCH route's description). */
export const EDIT_AUTHORITY = [
  '- an intervention’s `description`, `performer`, `startDate`, `endDate`, `frequency`, `place`: its responsible organisation (`own-interventions-only`);',
  '- an organisation’s contact persons (`content.contacts`, its own `organisations` entry’s `contactPerson`): that organisation (`own-contacts-only`);',
  '- the lead responsible’s named `person`: the lead responsible’s organisation;',
  '- goals, lead responsible, follow-up, the set of interventions (and each one’s organisation and goal), other actions and the meeting’s record: drafted by the convener before establishment, afterwards only at a meeting — a follow-up with outcome `revised` (`agreed-at-meeting`);',
  '- the individual, representatives, participation, the child’s voice, and which organisations take part: the keeper — the convener before establishment, the lead responsible after (`keeper-only`);',
  '- the convener: the convener hands it over (`convener-hands-over`), to an organisation a valid consent names (`role-needs-consent`).',
].join('\n');

/** Which command belongs to whom (see the table above). */
const COMMAND_AUTHORITY: Record<
  CommandName,
  'keeper' | 'keeperOrLead' | 'invitee' | 'keeperOrRecipient' | 'participant'
> = {
  giveConsent: 'keeper',
  withdrawConsent: 'keeperOrRecipient',
  refuseConsent: 'keeper',
  sendInvitation: 'keeper',
  rescheduleInvitation: 'keeper',
  respondToInvitation: 'invitee',
  establish: 'keeper',
  recordFollowUp: 'keeper',
  // The lead responsible may always close an established plan, even once its consent has ended.
  close: 'keeperOrLead',
  restart: 'keeper',
  refuseRequest: 'keeper',
  recordDischargeEvent: 'participant',
};

/**
 * May the caller's organisation make this write? Pure: the plans, the body and `isNamed` (does a valid
 * information-sharing consent name an organisation now) are all it looks at. Returns the first refusal.
 */
export function authorityRefusal(
  organisationId: string,
  write: Write,
  isNamed: (plan: Plan, organisationId: string) => boolean,
): Refusal | undefined {
  const refusal = (rule: AuthorityRule, pointer: string, detail: string): Refusal => ({
    rule,
    pointer,
    detail,
  });
  if (write.kind === 'command') {
    const commandRefusal = commandAuthority(organisationId, write, refusal);
    if (commandRefusal || !write.next) return commandRefusal;
  } else if (write.kind === 'patch') {
    const patchRefusal = patchAuthority(organisationId, write.previous, write.next, refusal);
    if (patchRefusal) return patchRefusal;
  }
  return rolesRefusal(organisationId, write, isNamed, refusal);
}

type MakeRefusal = (rule: AuthorityRule, pointer: string, detail: string) => Refusal;

function commandAuthority(
  org: string,
  write: Extract<Write, { kind: 'command' }>,
  refusal: MakeRefusal,
): Refusal | undefined {
  const { name, input, previous } = write;
  const keeper = keeperOf(previous);
  const isKeeper = org === keeper;
  const notKeeper = () =>
    refusal(
      'keeper-only',
      '',
      // Who holds the role is "who does what": a refusal does not name it to a caller that may not read it.
      `${name} belongs to the ${previous.status === 'established' ? 'lead responsible' : 'convener'}`,
    );
  switch (COMMAND_AUTHORITY[name]) {
    case 'keeper':
      return isKeeper ? undefined : notKeeper();
    case 'keeperOrLead':
      return isKeeper ||
        (previous.status === 'established' && org === previous.content?.leadResponsible?.organisationId)
        ? undefined
        : notKeeper();
    case 'invitee':
      return input.organisationId === org
        ? undefined
        : refusal('own-answer-only', '/organisationId', `your organisation (${org}) answers only for itself`);
    case 'keeperOrRecipient': {
      // A recipient still named records the individual's withdrawal of the whole consent or for itself;
      // for others, whom it may not see, only the keeper does.
      if (isKeeper) return undefined;
      const consent = previous.consents.find((c) => c.id === input.consentId);
      const named = consent?.recipients.includes(org) && withdrawnFor(consent, org) === undefined;
      const recipients = Array.isArray(input.recipients) ? input.recipients : [];
      const others = recipients.some((recipient) => recipient !== org);
      if (named && others)
        return refusal(
          'keeper-only',
          '/recipients',
          'withdrawing for other recipients belongs to the keeper',
        );
      return named ? undefined : notKeeper();
    }
    case 'participant':
      // Inpatient care reports what happens to the individual; ending the process is the keeper's.
      return input.event === 'sipNotNeeded' && !isKeeper
        ? refusal('keeper-only', '/event', `that no SIP is needed is the convener's to record`)
        : undefined;
  }
}

/** Content parts the meeting agrees. */
const MEETING_CONTENT = [
  'selfActions',
  'supportNeeds',
  'otherActions',
  'leadResponsible',
  'followUp',
  'disagreements',
  'individualAgrees',
  'individualComment',
] as const;
/** Parts of the record the keeper holds. */
const KEEPER_PARTS = ['individual', 'representatives', 'participation', 'childsVoice'] as const;
/** The fields of an intervention its own organisation decides. */
const OWN_INTERVENTION_FIELDS = ['description', 'performer', 'startDate', 'endDate', 'frequency', 'place'];

/** Equal as JSON, whatever the order of keys (a plan read from DynamoDB keeps none). */
const same = (a: unknown, b: unknown) => changedPaths(a, b).length === 0;

function patchAuthority(org: string, previous: Plan, next: Plan, refusal: MakeRefusal): Refusal | undefined {
  const established = previous.status === 'established';
  const isKeeper = org === keeperOf(previous);
  const isConvener = org === previous.convener.organisationId;
  const keeperPart = (pointer: string) =>
    isKeeper
      ? undefined
      : refusal(
          'keeper-only',
          pointer,
          `${pointer} is kept by the ${previous.establishment ? 'lead responsible' : 'convener'}`,
        );
  // Before establishment the convener drafts what the meeting will agree; afterwards only a meeting changes it.
  const meetingPart = (pointer: string) => {
    if (established) {
      return refusal(
        'agreed-at-meeting',
        pointer,
        `${pointer} changes at a follow-up (outcome revised), not by an edit`,
      );
    }
    return isConvener
      ? undefined
      : refusal(
          'keeper-only',
          pointer,
          `the convener (${previous.convener.organisationId}) drafts ${pointer}`,
        );
  };

  for (const part of KEEPER_PARTS) {
    if (!same(previous[part], next[part])) return keeperPart(`/${part}`);
  }
  for (const part of ['longTermGoal', 'subGoals'] as const) {
    if (!same(previous[part], next[part])) return meetingPart(`/${part}`);
  }
  if (!same(previous.convener, next.convener) && !isConvener) {
    return refusal('convener-hands-over', '/convener', 'only the convener changes or hands over convening');
  }

  const before = previous.content ?? {};
  const after = next.content ?? {};
  for (const part of MEETING_CONTENT) {
    if (same(before[part], after[part])) continue;
    if (part === 'leadResponsible' && before.leadResponsible && after.leadResponsible) {
      const { person: _a, ...roleBefore } = before.leadResponsible;
      const { person: _b, ...roleAfter } = after.leadResponsible;
      // The lead's own organisation names the person who holds the role for it.
      if (same(roleBefore, roleAfter) && org === before.leadResponsible.organisationId) continue;
    }
    return meetingPart(`/content/${part}`);
  }

  const interventionRefusal = interventionsAuthority(org, before, after, meetingPart, refusal);
  if (interventionRefusal) return interventionRefusal;

  // Contacts: each organisation's own entries.
  const contactsOf = (content: Plan['content'], id: string) =>
    (content?.contacts ?? []).filter((c) => c.organisationId === id);
  const contactOrgs = new Set(
    [...(before.contacts ?? []), ...(after.contacts ?? [])].map((c) => c.organisationId),
  );
  for (const id of contactOrgs) {
    if (!same(contactsOf(before, id), contactsOf(after, id)) && id !== org) {
      return refusal(
        'own-contacts-only',
        '/content/contacts',
        `the contact persons of ${id} are its own to change`,
      );
    }
  }

  // Which organisations take part is the keeper's; an organisation's own contact person is its own.
  const beforeOrgs = new Map((previous.organisations ?? []).map((o) => [o.organisationId, o]));
  const afterOrgs = new Map((next.organisations ?? []).map((o) => [o.organisationId, o]));
  for (const id of new Set([...beforeOrgs.keys(), ...afterOrgs.keys()])) {
    const a = beforeOrgs.get(id);
    const b = afterOrgs.get(id);
    if (same(a, b)) continue;
    if (a && b && id === org) {
      const { contactPerson: _a, ...restBefore } = a;
      const { contactPerson: _b, ...restAfter } = b;
      if (same(restBefore, restAfter)) continue;
    }
    const refused = keeperPart('/organisations');
    if (refused) return refused;
  }
  return undefined;
}

function interventionsAuthority(
  org: string,
  before: NonNullable<Plan['content']>,
  after: NonNullable<Plan['content']>,
  meetingPart: (pointer: string) => Refusal | undefined,
  refusal: MakeRefusal,
): Refusal | undefined {
  const previous = new Map((before.interventions ?? []).map((i) => [i.id, i]));
  const next = after.interventions ?? [];
  const nextIds = new Set(next.map((i) => i.id));
  // The set — which interventions there are, whose each is, and the goal each serves — is the meeting's.
  if (next.length !== previous.size || [...previous.keys()].some((id) => !nextIds.has(id))) {
    return meetingPart('/content/interventions');
  }
  for (const [index, intervention] of next.entries()) {
    const was = previous.get(intervention.id);
    if (!was) return meetingPart('/content/interventions');
    if (same(was, intervention)) continue;
    const pointer = `/content/interventions/${index}`;
    const changed = Object.keys({ ...was, ...intervention }).filter(
      (key) => !same(was[key as keyof typeof was], intervention[key as keyof typeof intervention]),
    );
    const meetingFields = changed.filter((key) => !OWN_INTERVENTION_FIELDS.includes(key));
    if (meetingFields.length > 0) {
      const refused = meetingPart(`${pointer}/${meetingFields[0]}`);
      if (refused) return refused;
    }
    if (
      changed.some((key) => OWN_INTERVENTION_FIELDS.includes(key)) &&
      was.responsibleOrganisationId !== org
    ) {
      return refusal(
        'own-interventions-only',
        pointer,
        `this intervention is ${was.responsibleOrganisationId}'s: only it changes what, who, when, how often and where`,
      );
    }
  }
  return undefined;
}

/**
 * Whatever the write, the writer stays in the plan, and the convener's and lead's roles — which see more
 * than others — pass only by their holders' hand, to an organisation a valid consent names.
 */
function rolesRefusal(
  org: string,
  write: Write,
  isNamed: (plan: Plan, organisationId: string) => boolean,
  refusal: MakeRefusal,
): Refusal | undefined {
  const next = write.next;
  if (!next) return undefined;
  if (!participatingOrganisationIds(next).has(org)) {
    return refusal(
      'must-stay-participant',
      '/organisations',
      'your organisation must take part in the plan it writes',
    );
  }
  if (write.kind === 'create') return undefined;
  const previous = write.previous;
  const convener = next.convener.organisationId;
  if (convener !== previous.convener.organisationId) {
    if (org !== previous.convener.organisationId) {
      return refusal('convener-hands-over', '/convener', 'only the convener hands over convening');
    }
    if (!isNamed(next, convener)) {
      return refusal(
        'role-needs-consent',
        '/convener',
        `no valid information-sharing consent names ${convener}`,
      );
    }
  }
  const lead = next.content?.leadResponsible?.organisationId;
  const previousLead = previous.content?.leadResponsible?.organisationId;
  if (lead && lead !== previousLead && !isNamed(next, lead)) {
    return refusal(
      'role-needs-consent',
      '/content/leadResponsible/organisationId',
      `no valid information-sharing consent names ${lead}`,
    );
  }
  return undefined;
}
