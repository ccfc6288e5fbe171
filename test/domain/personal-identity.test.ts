import personnummerPackage from 'personnummer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  canonicalPersonalIdentity,
  luhnValid,
  PersonalIdentity,
  type PersonalIdentityType,
  personalIdentityProblem,
} from '../../shared/domain/personal-identity.ts';

// The package's types declare an ES default export over a CommonJS module: take whichever shape arrives.
const Personnummer = (
  'parse' in personnummerPackage ? personnummerPackage : personnummerPackage.default
) as typeof personnummerPackage.default;

/*
 * The numbers below are written by hand from Skatteverket's rules (folkbokföringsförordningen 18 §), with
 * the check digit worked out separately by the Luhn rule:
 * - the written forms are YYYYMMDDNNNN, YYYYMMDD-NNNN, YYYYMMDD+NNNN, YYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN;
 * - in the ten-digit forms `-` (or none) stands for someone who turns at most 99 in the current calendar
 *   year, and `+` for someone who turns 100 or more: the `+` comes on 1 January of the 100th year, not on
 *   the birthday;
 * - a samordningsnummer is written with the day of birth + 60;
 * - the serial number (the first three of the last four digits) runs 001–999.
 */

/** Written form → the canonical 12 digits, on 24 November 2026. */
const ACCEPTED_ON_2026_11_24: [PersonalIdentityType, string, string][] = [
  ['personnummer', '191212121212', '191212121212'],
  ['personnummer', '19121212-1212', '191212121212'],
  ['personnummer', '19121212+1212', '191212121212'],
  ['personnummer', '20121212-1212', '201212121212'],
  ['personnummer', '1212121212', '201212121212'],
  ['personnummer', '121212-1212', '201212121212'],
  ['personnummer', '121212+1212', '191212121212'],
  ['personnummer', '19420315-2386', '194203152386'],
  ['personnummer', '420315-2386', '194203152386'],
  ['personnummer', '4203152386', '194203152386'],
  ['personnummer', '420315+2386', '184203152386'],
  // Around the 100th year: born in 1926, the `+` applies all through 2026, before the birthday too.
  ['personnummer', '261204+9029', '192612049029'],
  ['personnummer', '261123+9027', '192611239027'],
  ['personnummer', '261123-9027', '202611239027'],
  ['personnummer', '261124+9026', '192611249026'],
  ['personnummer', '261124-9026', '202611249026'],
  // Born in 1927: 99 this year, still `-`.
  ['personnummer', '270101-9024', '192701019024'],
  ['personnummer', '270101+9024', '182701019024'],
  ['personnummer', '251231+9027', '192512319027'],
  ['personnummer', '251130-9029', '202511309029'],
  ['personnummer', '991231-9028', '199912319028'],
  ['personnummer', '000101-9025', '200001019025'],
  ['personnummer', '000229-2381', '200002292381'],
  ['samordningsnummer', '197010632391', '197010632391'],
  ['samordningsnummer', '19701063-2391', '197010632391'],
  ['samordningsnummer', '19701063+2391', '197010632391'],
  ['samordningsnummer', '7010632391', '197010632391'],
  ['samordningsnummer', '701063-2391', '197010632391'],
  ['samordningsnummer', '701063+2391', '187010632391'],
  ['samordningsnummer', '261264+9026', '192612649026'],
];

/** Well-formed numbers whose date of birth, completed on 24 November 2026, does not exist or lies ahead. */
const NO_DATE_ON_2026_11_24: [PersonalIdentityType, string][] = [
  // A `-` in 2026 means born 1927–2026: 4 December 2026 is still to come. Born in 1926, it is written `+`.
  ['personnummer', '261204-9029'],
  ['personnummer', '261125-9025'],
  ['samordningsnummer', '261264-9026'],
  // 1900 was not a leap year.
  ['personnummer', '000229+2381'],
  ['personnummer', '20991231-9028'],
];

/** The same numbers on other days, around the turn of a year. */
const ON_OTHER_DAYS: [string, string, string | undefined][] = [
  // New Year's Day of the year the person turns 100: `+` already.
  ['2026-01-01', '261231+9026', '192612319026'],
  ['2026-01-01', '261231-9026', undefined],
  // The year before, the same person is 99: `-`.
  ['2025-12-31', '261231-9026', '192612319026'],
  ['2025-12-31', '261231+9026', '182612319026'],
  // The day after a birthday in 2026, a `-` number can be the newborn's.
  ['2026-12-05', '261204-9029', '202612049029'],
  ['2026-12-05', '261204+9029', '192612049029'],
];

const SERIAL_000: [PersonalIdentityType, string][] = [
  ['personnummer', '121212-0008'],
  ['personnummer', '1212120008'],
  ['personnummer', '19121212-0008'],
  ['personnummer', '191212120008'],
  ['personnummer', '261204+0002'],
  ['samordningsnummer', '701063-0007'],
  ['samordningsnummer', '19701063-0007'],
];

describe('personal identity numbers, against a list written from the rules', () => {
  it.each(ACCEPTED_ON_2026_11_24)('accepts the %s %s and stores it as %s', (type, value, canonical) => {
    expect(personalIdentityProblem(type, value)).toBeUndefined();
    expect(canonicalPersonalIdentity(value, '2026-11-24')).toBe(canonical);
    expect(PersonalIdentity.safeParse({ type, value }).success).toBe(true);
  });

  it.each(NO_DATE_ON_2026_11_24)('refuses the %s %s: its date of birth is not a past date', (type, value) => {
    expect(personalIdentityProblem(type, value)).toBeUndefined();
    expect(canonicalPersonalIdentity(value, '2026-11-24')).toBeUndefined();
  });

  it.each(ON_OTHER_DAYS)('on %s reads %s as %s', (today, value, canonical) => {
    expect(personalIdentityProblem('personnummer', value)).toBeUndefined();
    expect(canonicalPersonalIdentity(value, today)).toBe(canonical);
  });

  it.each(SERIAL_000)('refuses the %s %s: the serial number 000 is never issued', (type, value) => {
    expect(personalIdentityProblem(type, value)).toBe(
      'the serial number 000 is never issued (serials run 001–999)',
    );
    expect(PersonalIdentity.safeParse({ type, value }).success).toBe(false);
  });
});

describe('the list against the maintained npm package personnummer, a second oracle', () => {
  // It reads the clock itself: give it the list's day.
  const on = (today: string) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(`${today}T12:00:00+01:00`));
  };
  afterEach(() => vi.useRealTimers());
  const options = { allowCoordinationNumber: true, allowInterimNumber: false };
  const theirs = (value: string) => Personnummer.parse(value, options).format(true);

  it.each(ACCEPTED_ON_2026_11_24)('agrees on the %s %s', (_type, value, canonical) => {
    on('2026-11-24');
    expect(theirs(value)).toBe(canonical);
  });

  it.each(ON_OTHER_DAYS.filter(([, , canonical]) => canonical))(
    'agrees on %s about %s',
    (today, value, canonical) => {
      on(today);
      expect(theirs(value)).toBe(canonical);
    },
  );

  it.each(SERIAL_000)('agrees that the %s %s is not valid', (_type, value) => {
    on('2026-11-24');
    expect(Personnummer.valid(value, options)).toBe(false);
  });
});

describe('personal identity numbers', () => {
  it.each([
    ['19121212-1213', 'the check digit is wrong'],
    ['19121312-1212', 'not a valid date of birth'],
    ['19121232-1212', 'not a valid date of birth'],
    ['19701063-2391', 'the day is over 60: this is a samordningsnummer'],
    ['1912121212', 'the check digit is wrong'],
    [
      '19121212 1212',
      'expected YYYYMMDD-NNNN, YYYYMMDD+NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN or YYMMDDNNNN',
    ],
    ['abc', 'expected YYYYMMDD-NNNN, YYYYMMDD+NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN or YYMMDDNNNN'],
    [
      '121212*1212',
      'expected YYYYMMDD-NNNN, YYYYMMDD+NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN or YYMMDDNNNN',
    ],
  ])('refuses the personnummer %s: %s', (value, problem) => {
    expect(personalIdentityProblem('personnummer', value)).toBe(problem);
  });

  it('accepts a samordningsnummer only with the day of birth + 60', () => {
    expect(personalIdentityProblem('samordningsnummer', '19701063-2391')).toBeUndefined();
    expect(personalIdentityProblem('samordningsnummer', '19121212-1212')).toBe(
      'a samordningsnummer has the day of birth + 60',
    );
  });

  it('completes a ten-digit samordningsnummer from its real day of birth', () => {
    // Born 3 October: the day is written 63. On 2 October 2026 a `-` reads 1970, never 2070.
    expect(canonicalPersonalIdentity('701063-2391', '2026-10-02')).toBe('197010632391');
    // 3 October 2026 is still to come on the 2nd, and has come on the 3rd.
    expect(canonicalPersonalIdentity('261063-9029', '2026-10-02')).toBeUndefined();
    expect(canonicalPersonalIdentity('261063-9029', '2026-10-03')).toBe('202610639029');
  });

  it('refuses a birth date in the future in any form', () => {
    expect(canonicalPersonalIdentity('19121212-1212', '1912-12-11')).toBeUndefined();
    expect(canonicalPersonalIdentity('19121212-1212', '1912-12-12')).toBe('191212121212');
  });

  it('computes the Luhn check over ten digits', () => {
    expect(luhnValid('1212121212')).toBe(true);
    expect(luhnValid('1212121213')).toBe(false);
  });

  it('keeps a reservnummer as issuer and opaque value', () => {
    const parsed = PersonalIdentity.parse({
      type: 'reservnummer',
      issuer: 'Region Stockholm',
      value: 'R-2026-0042',
    });
    expect(parsed).toEqual({ type: 'reservnummer', issuer: 'Region Stockholm', value: 'R-2026-0042' });
  });

  it('reports a wrong check digit at the value field', () => {
    const result = PersonalIdentity.safeParse({ type: 'personnummer', value: '19121212-1213' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['value'], message: 'the check digit is wrong' });
  });
});
