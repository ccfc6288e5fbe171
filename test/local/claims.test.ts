/**
 * Claim names are configuration: the caller is read from whichever claims the configured identity provider
 * uses — here a SITHS token as Inera's IdP names its claims — and the demo directory covers the scenarios.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../infra/local/demo-users.ts';
import { claimsProblem } from '../../shared/auth/access-token.ts';
import { loadConfig } from '../../shared/config.ts';
import { organisationIdProblem } from '../../shared/domain/organisation-id.ts';
import { callerFromClaims } from '../../shared/http/caller.ts';
import { claimNamesFrom, DEFAULT_CLAIM_NAMES } from '../../shared/http/claims.ts';
import { GERIATRIK, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

const SITHS = '{"user":"employeeHsaId","organisation":"healthCareUnitHsaId","scope":"scope"}';

describe('claim names', () => {
  it('reads the caller from the claims the configuration names (a SITHS token via Inera’s IdP)', () => {
    const names = loadConfig({ TABLE_NAME: 't', CLAIM_NAMES: SITHS }).claimNames;
    expect(names).toEqual({
      ...DEFAULT_CLAIM_NAMES,
      user: 'employeeHsaId',
      organisation: 'healthCareUnitHsaId',
    });
    const claims = {
      sub: 'a4f1c2-pairwise',
      employeeHsaId: 'SE2321000131-T000000000123',
      healthCareUnitHsaId: VARDCENTRAL,
      healthCareProviderHsaId: 'SE2321000131-E000000000000',
      scope: 'sip.read sip.write',
    };
    expect(callerFromClaims(claims, names)).toEqual({
      userId: 'SE2321000131-T000000000123',
      organisationId: VARDCENTRAL,
      scopes: new Set(['sip.read', 'sip.write']),
    });
    // The same token under the default names has no organisation: refused, naming the claim looked for.
    expect(() => callerFromClaims(claims)).toThrow(/org_id/);
    expect(claimsProblem(claims, names)).toBeUndefined();
    expect(claimsProblem({ ...claims, healthCareUnitHsaId: 1 }, names)).toMatch(/healthCareUnitHsaId/);
  });

  it('refuses a configuration that names an unknown part or no claim', () => {
    expect(() => claimNamesFrom('{"organization":"org"}')).toThrow(/CLAIM_NAMES/);
    expect(() => claimNamesFrom('{"user":""}')).toThrow(/CLAIM_NAMES/);
    expect(claimNamesFrom(undefined)).toEqual({
      user: 'sub',
      organisation: 'org_id',
      unit: 'unit_id',
      scope: 'scope',
    });
  });
});

describe('the demo directory', () => {
  it('has people of every organisation of the three scenarios, each id valid for its stated kind', () => {
    const ids = new Set(DEMO_USERS.map((u) => u.organisation.id));
    for (const id of [VARDCENTRAL, HEMTJANST, GERIATRIK]) expect(ids).toContain(id);
    const names = DEMO_USERS.map((u) => u.organisation.name).join(' | ');
    for (const part of [
      'Hemsjukvård',
      'skola',
      'BUP',
      'neuropsykiatriska',
      'familjeenheten',
      'fotboll',
      'Psykiatriska',
      'Beroendeenheten',
      'Beroendemottagningen',
      'Försäkringskassan',
      'Arbetsförmedlingen',
    ])
      expect(names.toLowerCase()).toContain(part.toLowerCase());
    for (const user of DEMO_USERS) {
      expect(
        organisationIdProblem(user.organisation.id, user.organisation.idKind),
        user.userId,
      ).toBeUndefined();
      expect(user.roles.length, user.userId).toBeGreaterThan(0);
    }
    expect(new Set(DEMO_USERS.map((u) => u.userId)).size).toBe(DEMO_USERS.length);
  });
});
