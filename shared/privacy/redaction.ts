/**
 * Redaction of personal data from everything the service writes to a log. The logger runs every value of
 * every line through {@link redactLogValue} — messages, attributes and formatted errors alike — and the
 * local runtime runs its console output through {@link redactText}. The audit log is not a log in this
 * sense: it names the individual by identity reference only, and holds no other personal data.
 */

/**
 * A personnummer or samordningsnummer in any of its written forms (10 or 12 digits, with or without `-`
 * or `+`), standing on its own. Deliberately wide: any 10- or 12-digit number is masked. Digits that are
 * part of a longer token are not one: an HSA-id (`SE2321000131-E000000000001`), a UUID's segments.
 */
export const PERSONAL_IDENTITY_NUMBER = /(?<![\w-])(?:\d{2})?\d{6}[-+]?\d{4}(?![\w-])/g;

/**
 * The fields of a plan that hold personal data — the individual, the people around them, and every free
 * text where a case worker may have written a name or a health detail. Whatever they hold, in whatever
 * object, is replaced whole.
 */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  // The individual and people
  'individual',
  'personalIdentity',
  'name',
  'contact',
  'address',
  'email',
  'mobile',
  'phone',
  'person',
  'representatives',
  'nextOfKin',
  'attendees',
  'leader',
  // Health and circumstances, and free text
  'content',
  'longTermGoal',
  'supportNeeds',
  'selfActions',
  'otherActions',
  'interventions',
  'progress',
  'newCircumstances',
  'comment',
  'individualComment',
  'note',
  'notes',
  'documentation',
  'reasonText',
  'purpose',
  'questions',
  'contribution',
  'participationPreferences',
  'communication',
  // Whole records, should one ever be passed to the logger
  'plan',
  'body',
]);

export const REDACTED = '[redacted]';

/** An error's class name (`name` of a formatted error): no person is called `…Error` or `…Exception`. */
const ERROR_NAME = /^\w*(Error|Exception)$/;

/** A JSON.stringify replacer: drops personal fields, masks identity numbers in any string. */
export function redactLogValue(key: string, value: unknown): unknown {
  if (key === 'name' && typeof value === 'string' && ERROR_NAME.test(value)) return value;
  if (PERSONAL_FIELDS.has(key) && value !== undefined && value !== null) return REDACTED;
  return typeof value === 'string' ? redactText(value) : value;
}

/** Masks every personal identity number in a text. */
export function redactText(text: string): string {
  return text.replace(PERSONAL_IDENTITY_NUMBER, '[personnummer]');
}
