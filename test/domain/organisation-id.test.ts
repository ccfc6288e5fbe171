import { describe, expect, it } from 'vitest';
import { organisationIdKindOf, organisationIdProblem } from '../../shared/domain/organisation-id.ts';
import { ParticipatingOrganisation } from '../../shared/domain/people.ts';

/** Luhn over ten digits, written here from the rule (doubling every other digit from the left). */
const luhn = (digits: string) =>
  [...digits].reduce((sum, d, i) => {
    const n = Number(d) * (i % 2 === 0 ? 2 : 1);
    return sum + (n > 9 ? n - 9 : n);
  }, 0) %
    10 ===
  0;

describe('organisation ids', () => {
  it('checks an HSA-id in its form', () => {
    expect(organisationIdProblem('SE2321000131-E000000000001', 'hsaId')).toBeUndefined();
    for (const bad of [
      'SE232100013-E1',
      'SE2321000131E1',
      'se2321000131-E1',
      'SE2321000131-',
      'SE2321000131-E#1',
    ])
      expect(organisationIdProblem(bad, 'hsaId'), bad).toMatch(/HSA-id/);
    // 31 characters at most, as the HSA catalogue allows.
    expect(organisationIdProblem(`SE2321000131-${'E'.repeat(18)}`, 'hsaId')).toBeUndefined();
    expect(organisationIdProblem(`SE2321000131-${'E'.repeat(19)}`, 'hsaId')).toBeDefined();
  });

  it('checks an organisation number’s form, check digit and that it is no personnummer', () => {
    // Försäkringskassan and Arbetsförmedlingen, as published.
    for (const id of ['202100-5521', '202100-2114']) {
      expect(luhn(id.replace('-', ''))).toBe(true);
      expect(organisationIdProblem(id, 'organisationNumber'), id).toBeUndefined();
    }
    expect(organisationIdProblem('202100-5522', 'organisationNumber')).toMatch(/check digit/);
    expect(organisationIdProblem('2021005521', 'organisationNumber')).toMatch(/NNNNNN-NNNN/);
    // 19420315-2386's ten digits pass Luhn, but a third digit below 2 makes it a personnummer.
    expect(luhn('4203152386')).toBe(true);
    expect(organisationIdProblem('420315-2386', 'organisationNumber')).toMatch(/third digit/);
  });

  it('derives the kind from the form when it is not stated', () => {
    expect(organisationIdKindOf('SE2321000131-E000000000001')).toBe('hsaId');
    expect(organisationIdKindOf('202100-5521')).toBe('organisationNumber');
    expect(organisationIdKindOf('202100-5522')).toBe('other');
    expect(organisationIdKindOf('SE000-UNKNOWN')).toBe('other');
  });

  it('lets a participating organisation state its id kind, which must fit, and keeps plans without one valid', () => {
    const fk = {
      organisationId: '202100-5521',
      name: 'Försäkringskassan',
      principal: 'other',
      principalName: 'Staten',
      unitKind: 'myndighet',
      participation: 'invited',
    };
    expect(ParticipatingOrganisation.safeParse(fk).success).toBe(true);
    expect(
      ParticipatingOrganisation.safeParse({ ...fk, organisationIdKind: 'organisationNumber' }).success,
    ).toBe(true);
    expect(ParticipatingOrganisation.safeParse({ ...fk, organisationIdKind: 'hsaId' }).success).toBe(false);
    expect(ParticipatingOrganisation.safeParse({ ...fk, organisationIdKind: 'passport' }).success).toBe(
      false,
    );
    const unit = {
      ...fk,
      organisationId: 'SE2120001801-E000000000010',
      principal: 'municipality',
      principalName: 'Göteborgs Stad',
      participation: 'summoned',
    };
    expect(ParticipatingOrganisation.safeParse({ ...unit, organisationIdKind: 'hsaId' }).success).toBe(true);
    // A municipality's unit is named by HSA-id: another stated kind is refused, naming the field.
    const other = ParticipatingOrganisation.safeParse({ ...unit, organisationIdKind: 'other' });
    expect(other.success).toBe(false);
    expect(other.error?.issues[0]?.path).toEqual(['organisationId']);
  });
});
