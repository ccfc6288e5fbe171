/**
 * The rules of the SIP process a command can refuse on, each answered with 409 and the problem type
 * `/problems/<rule>`. The titles are what a client shows; the detail of each refusal says the specifics.
 */
import { RuleViolation } from '../errors.ts';

export const RULES = {
  'plan-closed': 'The plan is closed and can no longer be changed',
  'invitation-required': 'A kallelse must be sent before the plan is established',
  'not-established': 'The plan has not been established',
  'consent-missing': 'A valid consent of the required kind is missing',
  'consent-expired': 'The consent has expired',
  'consent-withdrawn': 'The consent has been withdrawn',
  'recipient-not-in-consent': 'The consent does not name every organisation that would receive information',
  'consent-longer-than-a-year': 'A consent lasts at most one year',
  'consent-in-future': 'A consent cannot be recorded before it is given',
  'consent-not-documented': 'An oral or presumed consent must be documented',
  'consent-already-withdrawn': 'The consent is already withdrawn',
  'unknown-consent': 'No such consent on this plan',
  'not-a-recipient': 'The consent does not name this organisation',
  'recipient-already-withdrawn': 'The consent is already withdrawn for this organisation',
  'representative-may-not-consent': 'This representative may not consent for the individual',
  'guardian-consent-required': 'A child’s consent is given by a guardian',
  'not-informed-first': 'A refusal is recorded only after the individual was informed',
  'not-a-participant': 'The organisation does not take part in the plan',
  'not-a-principal': 'Only a unit under a municipality or a region can have this role',
  'digital-meeting-not-agreed': 'A digital meeting needs the individual’s agreement',
  'unknown-invitation': 'No such kallelse on this plan',
  'not-an-invitee': 'The organisation is not invited to this meeting',
  'summoned-cannot-decline': 'A summoned party cannot decline; it must send someone',
  'forward-outside-principal': 'A kallelse can be forwarded only to a unit under the same principal',
  'lead-responsible-required': 'The plan needs a lead responsible',
  'lead-responsible-unreachable':
    'The lead responsible needs a named person with an e-mail address or a mobile number',
  'intervention-required': 'The plan needs at least one intervention with its responsible organisation',
  'follow-up-required': 'The plan needs a follow-up date and place',
  'follow-up-in-past': 'The next follow-up must lie after the meeting',
  'unknown-intervention': 'No such intervention in the plan',
  'guardian-required': 'A child’s plan names the guardians',
  'child-voice-missing': 'A child’s plan records how the child’s own voice was heard',
  'not-a-request': 'Only a request from the individual or next of kin can be refused',
  'sip-already-established': 'The plan is already established; close it instead',
  'moment-in-future': 'A reported moment has happened: it cannot lie in the future',
  'meeting-not-after-kallelse': 'A kallelse calls a meeting that starts after it is sent',
  'meeting-before-kallelse': 'The meeting cannot be held before its kallelse was sent',
  'follow-up-before-establishment': 'A follow-up is held after the plan was established',
  'withdrawal-before-consent': 'A consent cannot be withdrawn before it was given',
  'meeting-ends-before-start': 'A meeting ends after it starts',
} as const;

export type Rule = keyof typeof RULES;

/**
 * Throws the refusal for `rule`; `detail` says what exactly is wrong (never personal data), `pointer` the
 * part of the plan or the body it is about.
 */
export function refuse(rule: Rule, detail: string, pointer?: string): never {
  throw new RuleViolation(rule, detail, pointer);
}
