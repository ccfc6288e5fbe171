/**
 * The one zod entry point of the project.
 *
 * We use `zod/mini`, the tree-shakable form of zod 4: the API function's cold start and bundle are
 * measured against a bare DynamoDB client (see `npm run bench`), and classic zod alone adds 85 kB
 * minified where mini adds under 20 kB. Every schema module imports `* as z from 'zod/mini'` itself
 * (a namespace re-exported from here would defeat tree-shaking and pull in every locale, +420 kB) and
 * its helpers from here, which also configures the English messages once.
 */

import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// The English messages only: `z.locales.en()` would pull every locale into the bundle (+300 kB).
z.config({
  ...en(),
  // "required" says more to a client than "expected string, received undefined".
  customError: (issue) =>
    issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined,
});

/** Upper bounds for free text, so that no field can grow a plan past DynamoDB's item limit. */
export const Bounds = {
  short: 200,
  medium: 1_000,
  long: 4_000,
  list: 50,
  longList: 200,
} as const;

const texts = new Map<number, z.ZodMiniString>();

/**
 * Control characters are not text: NUL cuts strings short in other systems, and the rest garble what a
 * reader sees or a mail header carries. Tab and line breaks (LF, CRLF) are the free text's own.
 */
const noControlCharacters = z.refine<string>(
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  (value) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\r(?!\n)/.test(value),
  'control characters are not allowed (tab and line breaks are)',
);

/** Half of a UTF-16 pair without the other is no character at all, and cannot be stored as UTF-8. */
const wellFormedUnicode = z.refine<string>(
  (value) => value.isWellFormed(),
  'not valid Unicode text (an unpaired surrogate)',
);

/**
 * Non-empty, trimmed text of at most `max` characters, without control characters (but tab and line
 * breaks) and in well-formed Unicode. Schemas are immutable, so one instance per bound serves every
 * field: the model has about sixty text fields, and building each anew costs cold start.
 */
export function text(max: number = Bounds.short): z.ZodMiniString {
  let schema = texts.get(max);
  if (!schema) {
    schema = z
      .string()
      .check(z.trim(), z.minLength(1), z.maxLength(max), noControlCharacters, wellFormedUnicode);
    texts.set(max, schema);
  }
  return schema;
}

/** A bounded list. */
export const list = <T extends z.ZodMiniType>(item: T, max: number = Bounds.list) =>
  z.array(item).check(z.maxLength(max));

/** An instant: ISO 8601 with a UTC offset (`2026-11-20T09:00:00+01:00` or `…Z`). */
/** A year a SIP's dates can fall in: well-formed but absurd ones (`0000`, `9999`) are typos, not plans. */
const plausibleYear = z.refine<string>(
  (value) => Number(value.slice(0, 4)) >= 1900 && Number(value.slice(0, 4)) < 2200,
  'expected a year from 1900 to 2199',
);

export const Timestamp = z.iso.datetime({ offset: true }).check(plausibleYear);

/** A calendar date (`YYYY-MM-DD`), always meant as a date in Europe/Stockholm. */
export const CalendarDate = z.iso.date().check(plausibleYear);

export const Email = z.email().check(z.maxLength(254));

/** A mobile number in E.164 form (`+46701234567`), so that SMS delivery never has to guess a country. */
export const Mobile = z
  .string()
  .check(z.regex(/^\+[1-9]\d{6,14}$/, 'expected a number in E.164 form, e.g. +46701234567'));

/**
 * An organisation's id, typically its HSA-id (`SE2321000131-E000000000001`). Restricted to characters
 * that can never collide with the separators of the table's keys.
 */
export const OrganisationId = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/,
      'expected an organisation id such as an HSA-id (letters, digits, . _ : -)',
    ),
  );

/** Ids the service generates (plans, consents, interventions …): UUIDs. */
export const Id = z.uuid();

/**
 * A web address that is safe to put in front of a recipient as a link: https, on a named host (no bare IP
 * address, no user name before it to disguise the host), of bounded length, and in URI characters only, so
 * that no space, line break or other control character can break out of an e-mail or a calendar line.
 */
const HTTPS_URL_MESSAGE = 'expected an https URL on a named host, written in URI characters (no spaces)';
const HTTPS_URL = /^https:\/\/([A-Za-z0-9.-]+)(:\d{1,5})?([/?#][\w\-.~:/?#[\]@!$&'()*+,;=%]*)?$/;
export const HttpsUrl = z.string().check(
  z.maxLength(Bounds.medium),
  // Checked as written: a URL parser would quietly drop a line break, not refuse it.
  z.regex(HTTPS_URL, HTTPS_URL_MESSAGE),
  z.refine((value) => z.regexes.domain.test(HTTPS_URL.exec(value)?.[1] ?? ''), HTTPS_URL_MESSAGE),
  z.meta({ format: 'uri' }),
);
