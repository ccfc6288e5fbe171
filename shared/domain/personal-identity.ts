/**
 * Swedish personal identities: personnummer, samordningsnummer (coordination number: day of birth + 60)
 * and reservnummer (a reserve number a care giver issues when the real one is unknown; its format is the
 * issuer's, so it is kept opaque).
 *
 * Accepted input forms for personnummer and samordningsnummer (Skatteverket; folkbokföringsförordningen
 * 18 §): `YYYYMMDDNNNN`, `YYYYMMDD-NNNN`, `YYYYMMDD+NNNN`, `YYMMDD-NNNN`, `YYMMDD+NNNN` and `YYMMDDNNNN`.
 * In the ten-digit forms `+` replaces `-` from the calendar year in which the person turns 100. The last
 * four digits are a serial number (födelsenummer, 001–999) and the check digit. The stored, canonical
 * form is the 12 digits `YYYYMMDDNNNN`. The two-digit-year forms need today's date to pick a century,
 * so the schema keeps them as they are and {@link canonicalPersonalIdentity} finishes the job with `today`.
 */

import * as z from 'zod/mini';
import { Bounds, text } from './schema.ts';
import { daysInMonth } from './time.ts';

export type PersonalIdentityType = 'personnummer' | 'samordningsnummer';

const TWELVE = /^(\d{4})(\d{2})(\d{2})[-+]?(\d{4})$/;
const TEN = /^(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/;
const FORMS = 'expected YYYYMMDD-NNNN, YYYYMMDD+NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN or YYMMDDNNNN';

/** The Luhn (mod 10) check over the ten digits YYMMDDNNNC. */
export function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let digit = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Why a value is not a valid number of the given type, or `undefined` when it is. */
export function personalIdentityProblem(type: PersonalIdentityType, value: string): string | undefined {
  const twelve = TWELVE.exec(value);
  const ten = twelve ? null : TEN.exec(value);
  if (!twelve && !ten) {
    return FORMS;
  }
  const [yy, mm, dd, serial] = twelve
    ? [twelve[1]?.slice(2), twelve[2], twelve[3], twelve[4]]
    : [ten?.[1], ten?.[2], ten?.[3], ten?.[5]];
  const month = Number(mm);
  const rawDay = Number(dd);
  const isCoordination = rawDay > 60;
  if (type === 'personnummer' && isCoordination) return 'the day is over 60: this is a samordningsnummer';
  if (type === 'samordningsnummer' && !isCoordination) return 'a samordningsnummer has the day of birth + 60';
  const day = isCoordination ? rawDay - 60 : rawDay;
  // With four digits of year the date is checked exactly; with two, 29 February is let through here
  // and checked once the century is known.
  const maxDay = twelve ? daysInMonth(Number(twelve[1]), month) : month === 2 ? 29 : daysInMonth(2001, month);
  if (month < 1 || month > 12 || day < 1 || day > maxDay) return 'not a valid date of birth';
  if (serial?.startsWith('000')) return 'the serial number 000 is never issued (serials run 001–999)';
  if (!luhnValid(`${yy}${mm}${dd}${serial}`)) return 'the check digit is wrong';
  return undefined;
}

/**
 * The canonical 12-digit form. `today` (a Stockholm calendar date, `YYYY-MM-DD`) picks the century of a
 * two-digit year by the separator: `-` (or none) for someone who turns at most 99 this calendar year, `+`
 * for someone who turns 100 or more. Returns `undefined` if the completed date does not exist (29 February
 * in a common year) or lies after `today`.
 */
export function canonicalPersonalIdentity(value: string, today: string): string | undefined {
  const canonical = completeCentury(value, today);
  // Nobody is born in the future, whichever form the number came in.
  const birth = canonical && birthDateOf({ type: 'personnummer', value: canonical });
  return birth && birth <= today ? canonical : undefined;
}

function completeCentury(value: string, today: string): string | undefined {
  const twelve = TWELVE.exec(value);
  if (twelve) return `${twelve[1]}${twelve[2]}${twelve[3]}${twelve[4]}`;
  const ten = TEN.exec(value);
  if (!ten) return undefined;
  const [, yy, mm, dd, separator, serial] = ten;
  // The latest year ending in `yy` in which the person turns at most 99 (`-`), or at least 100 (`+`).
  // It goes by the calendar year, not the birthday: in 2026, 261204+… is born in 1926, even in November.
  const latest = Number(today.slice(0, 4)) - (separator === '+' ? 100 : 0);
  const year = latest - ((latest - Number(yy)) % 100);
  const birthDay = Number(dd) > 60 ? Number(dd) - 60 : Number(dd);
  if (birthDay > daysInMonth(year, Number(mm))) return undefined;
  return `${year}${mm}${dd}${serial}`;
}

const NumberIdentity = (type: PersonalIdentityType) =>
  z.strictObject({ type: z.literal(type), value: z.string().check(z.trim(), z.maxLength(13)) }).check(
    z.superRefine((identity, ctx) => {
      const problem = personalIdentityProblem(type, identity.value);
      if (problem)
        ctx.issues.push({ code: 'custom', message: problem, path: ['value'], input: identity.value });
    }),
  );

/** The individual's identity. Never logged, never in a reminder, never in an export, never clear in a key. */
export const PersonalIdentity = z.discriminatedUnion('type', [
  NumberIdentity('personnummer'),
  NumberIdentity('samordningsnummer'),
  z.strictObject({
    type: z.literal('reservnummer'),
    /** Who issued the reserve number (a region's or care giver's id). */
    issuer: text(Bounds.short),
    value: text(64),
  }),
]);
export type PersonalIdentity = z.infer<typeof PersonalIdentity>;

/** The date of birth (`YYYY-MM-DD`) a canonical personnummer or samordningsnummer carries. */
export function birthDateOf(identity: PersonalIdentity): string | undefined {
  if (identity.type === 'reservnummer' || !/^\d{12}$/.test(identity.value)) return undefined;
  const day = Number(identity.value.slice(6, 8));
  const realDay = String(day > 60 ? day - 60 : day).padStart(2, '0');
  return `${identity.value.slice(0, 4)}-${identity.value.slice(4, 6)}-${realDay}`;
}

/** Age in whole years on a date (`YYYY-MM-DD`), or `undefined` when the identity carries no date of birth. */
export function ageOn(identity: PersonalIdentity, date: string): number | undefined {
  const birth = birthDateOf(identity);
  if (!birth) return undefined;
  const years = Number(date.slice(0, 4)) - Number(birth.slice(0, 4));
  return date.slice(5) < birth.slice(5) ? years - 1 : years;
}
