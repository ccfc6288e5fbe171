/**
 * The pages' one catalogue of Swedish texts, one per problem type (`/problems/<type>`): the general kinds of
 * `shared/http/problem.ts`, every rule of the process and every rule of authority. A refused action shows its
 * type's text beside the field its `pointer` names. A test holds the catalogue to the three tables, so a new
 * rule cannot reach a page without its Swedish.
 */
import type { Rule } from '../domain/commands/rules.ts';
import type { ProblemKind } from '../domain/errors.ts';
import type { AuthorityRule } from '../policy/authority.ts';

export const PROBLEM_TEXTS: Record<ProblemKind | 'internal-error' | Rule | AuthorityRule, string> = {
  'validation-failed': 'Uppgifterna är inte fullständiga eller har fel form.',
  'malformed-json': 'Uppgifterna gick inte att läsa.',
  'body-not-utf8': 'Texten innehåller tecken som inte gick att läsa. Skriv den igen.',
  'body-too-large': 'Det är för mycket text på en gång.',
  'plan-too-large': 'Planen skulle bli för stor. Korta ner texterna.',
  unauthenticated: 'Du behöver logga in.',
  forbidden: 'Er verksamhet får inte göra det här.',
  'not-found': 'Det finns ingen plan här som er verksamhet kan se.',
  'method-not-allowed': 'Det går inte att göra så här.',
  'unsupported-media-type': 'Uppgifterna skickades i en form som tjänsten inte läser.',
  'precondition-failed':
    'Någon annan har ändrat planen sedan du öppnade formuläret. Se den nya versionen nedan.',
  'precondition-required': 'Formuläret saknar versionen av planen. Öppna planen och försök igen.',
  'rule-violation': 'En regel för SIP-processen är inte uppfylld.',
  'idempotency-key-reused': 'Formuläret har redan skickats med andra uppgifter. Öppna det på nytt.',
  'internal-error': 'Något gick fel hos oss. Det är loggat; försök igen om en stund.',
  'plan-closed': 'Planen är avslutad och kan inte ändras.',
  'invitation-required': 'En kallelse måste skickas innan planen upprättas.',
  'not-established': 'Planen är inte upprättad ännu.',
  'consent-missing': 'Det finns inget giltigt samtycke av det slag som behövs.',
  'consent-expired': 'Samtycket har gått ut.',
  'consent-withdrawn': 'Samtycket har återkallats.',
  'recipient-not-in-consent': 'Samtycket omfattar inte alla verksamheter som skulle få uppgifterna.',
  'consent-longer-than-a-year': 'Ett samtycke gäller som längst ett år.',
  'consent-in-future': 'Ett samtycke kan inte registreras innan det har lämnats.',
  'consent-not-documented': 'Ett muntligt eller antaget samtycke ska dokumenteras: hur och när det lämnades.',
  'consent-already-withdrawn': 'Samtycket är redan återkallat.',
  'unknown-consent': 'Samtycket finns inte i planen.',
  'not-a-recipient': 'Samtycket omfattar inte den verksamheten.',
  'recipient-already-withdrawn': 'Samtycket är redan återkallat för den verksamheten.',
  'representative-may-not-consent': 'Den företrädaren får inte samtycka för den enskilde.',
  'guardian-consent-required': 'För ett barn lämnas samtycket av vårdnadshavare.',
  'not-informed-first': 'En vägran registreras först när den enskilde har fått information.',
  'not-a-participant': 'Verksamheten deltar inte i planen.',
  'not-a-principal': 'Bara en enhet under en kommun eller en region kan ha den rollen.',
  'digital-meeting-not-agreed': 'Ett digitalt möte kräver att den enskilde har gått med på det.',
  'unknown-invitation': 'Kallelsen finns inte i planen.',
  'not-an-invitee': 'Verksamheten är inte kallad eller inbjuden till mötet.',
  'summoned-cannot-decline':
    'Den som är kallad kan inte tacka nej, men kan skicka någon annan som kan fatta beslut.',
  'forward-outside-principal': 'En kallelse kan bara skickas vidare till en enhet hos samma huvudman.',
  'lead-responsible-required': 'Planen behöver en huvudansvarig.',
  'lead-responsible-unreachable':
    'Den huvudansvariga behöver en namngiven person med e-postadress eller mobilnummer.',
  'intervention-required': 'Planen behöver minst en insats med den verksamhet som ansvarar för den.',
  'follow-up-required': 'Planen behöver datum och plats för uppföljningen.',
  'follow-up-in-past': 'Nästa uppföljning ska ligga efter mötet.',
  'unknown-intervention': 'Insatsen finns inte i planen.',
  'guardian-required': 'Ett barns plan ska ange vårdnadshavarna.',
  'child-voice-missing': 'Ett barns plan ska ange hur barnets egen röst har kommit fram.',
  'not-a-request': 'Bara en begäran från den enskilde eller en närstående kan avslås.',
  'sip-already-established': 'Planen är redan upprättad. Avsluta den i stället.',
  'moment-in-future': 'Det som registreras har redan hänt och kan inte ligga i framtiden.',
  'meeting-not-after-kallelse': 'Mötet ska börja efter att kallelsen skickas.',
  'meeting-before-kallelse': 'Mötet kan inte ha hållits innan kallelsen skickades.',
  'follow-up-before-establishment': 'En uppföljning hålls efter att planen har upprättats.',
  'withdrawal-before-consent': 'Ett samtycke kan inte återkallas innan det lämnades.',
  'meeting-ends-before-start': 'Mötet ska sluta efter att det börjar.',
  'keeper-only':
    'Bara den sammankallande (före upprättandet) eller den huvudansvariga (efter) får göra det här.',
  'agreed-at-meeting':
    'Målen, den huvudansvariga, uppföljningen och vilka insatser som ingår ändras bara vid ett möte.',
  'own-interventions-only': 'Varje verksamhet ändrar bara sina egna insatser.',
  'own-contacts-only': 'Varje verksamhet ändrar bara sina egna kontaktpersoner.',
  'own-answer-only': 'Varje kallad verksamhet svarar på kallelsen för sig själv.',
  'convener-hands-over': 'Bara den sammankallande kan lämna över rollen.',
  'role-needs-consent': 'En roll kan bara gå till en verksamhet som ett giltigt samtycke omfattar.',
  'must-stay-participant': 'Er verksamhet måste delta i planen den skriver i.',
  'not-released-to-you': 'Samtycket ger er inte del av den uppgiften, så ni kan inte ändra den.',
};

/** The Swedish text of a problem's `type` (`/problems/consent-not-documented` → its sentence). */
export const problemText = (type: string): string =>
  PROBLEM_TEXTS[type.replace(/^\/problems\//, '') as keyof typeof PROBLEM_TEXTS] ??
  PROBLEM_TEXTS['internal-error'];
