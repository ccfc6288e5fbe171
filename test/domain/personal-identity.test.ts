import { describe, expect, it } from 'vitest';
import {
  canonicalPersonalIdentity,
  luhnValid,
  PersonalIdentity,
  personalIdentityProblem,
} from '../../shared/domain/personal-identity.ts';

describe('personal identity numbers', () => {
  it.each([
    ['19121212-1212', '191212121212'],
    ['191212121212', '191212121212'],
    ['121212+1212', '191212121212'],
    ['121212-1212', '201212121212'],
    ['1212121212', '201212121212'],
    ['19420315-2386', '194203152386'],
  ])('accepts the personnummer %s and stores it as %s', (value, canonical) => {
    expect(personalIdentityProblem('personnummer', value)).toBeUndefined();
    expect(canonicalPersonalIdentity(value, '2026-11-24')).toBe(canonical);
  });

  it.each([
    ['19121212-1213', 'the check digit is wrong'],
    ['19121312-1212', 'not a valid date of birth'],
    ['19121232-1212', 'not a valid date of birth'],
    ['19701063-2391', 'the day is over 60: this is a samordningsnummer'],
    ['1912121212', 'the check digit is wrong'],
    ['19121212 1212', 'expected YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN or YYMMDDNNNN'],
    ['abc', 'expected YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN or YYMMDDNNNN'],
  ])('refuses the personnummer %s: %s', (value, problem) => {
    expect(personalIdentityProblem('personnummer', value)).toBe(problem);
  });

  it('accepts a samordningsnummer only with the day of birth + 60', () => {
    expect(personalIdentityProblem('samordningsnummer', '19701063-2391')).toBeUndefined();
    expect(personalIdentityProblem('samordningsnummer', '19121212-1212')).toBe(
      'a samordningsnummer has the day of birth + 60',
    );
  });

  it('checks 29 February against the century once it is known', () => {
    // 000229-xxxx: born 29 Feb 2000 (a leap year) — valid; the same digits in 1900 (not a leap year) — not.
    const value = `000229${checkDigitSerial('000229', '238')}`;
    expect(canonicalPersonalIdentity(`000229-${value.slice(6)}`, '2026-11-24')).toBe(`20${value}`);
    expect(canonicalPersonalIdentity(`000229+${value.slice(6)}`, '2026-11-24')).toBeUndefined();
  });

  it('picks the century so that nobody is born in the future', () => {
    expect(canonicalPersonalIdentity('261124-0000', '2026-11-24')).toBe('202611240000');
    expect(canonicalPersonalIdentity('261125-0000', '2026-11-24')).toBe('192611250000');
  });

  it('refuses a birth date in the future in any form', () => {
    expect(canonicalPersonalIdentity('20991212-1218', '2026-11-24')).toBeUndefined();
    expect(canonicalPersonalIdentity('19121212-1212', '1912-12-11')).toBeUndefined();
  });

  it('completes a ten-digit samordningsnummer from its real day of birth', () => {
    // Born 3 October: the day is written 63. Today 2 October 2026 → the 1970 reading, not 2070 nor 2026.
    expect(canonicalPersonalIdentity('701063-2391', '2026-10-02')).toBe('197010632391');
    expect(canonicalPersonalIdentity('261063-2391', '2026-10-02')).toBe('192610632391');
    expect(canonicalPersonalIdentity('261063-2391', '2026-10-03')).toBe('202610632391');
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

function checkDigitSerial(date: string, serial: string): string {
  for (let digit = 0; digit < 10; digit++)
    if (luhnValid(`${date}${serial}${digit}`)) return `${serial}${digit}`;
  throw new Error('unreachable');
}
