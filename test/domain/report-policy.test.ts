/** Whose report figures a caller may read: the policy's rule, case by case. */
import { describe, expect, it } from 'vitest';
import { type Caller, decideReport } from '../../shared/policy/policy.ts';

const caller = (scopes: string[]): Caller => ({
  userId: 'u',
  organisationId: 'SE2120001801-E1',
  scopes: new Set(scopes),
});
const region = { code: '14', kind: 'region' as const };
const goteborg = { code: '1480', kind: 'municipality' as const };

describe('a report reader', () => {
  it('needs the report.read scope, whatever else the token carries', () => {
    expect(decideReport(caller(['sip.read', 'sip.write']), region, undefined)).toMatchObject({
      allowed: false,
    });
  });

  it('at the region reads every principal, or any one', () => {
    expect(decideReport(caller(['report.read']), region, undefined)).toEqual({ allowed: true });
    expect(decideReport(caller(['report.read']), region, '1480')).toEqual({ allowed: true });
  });

  it('at a municipality reads its own principal and no other, nor all of them', () => {
    expect(decideReport(caller(['report.read']), goteborg, '1480')).toEqual({ allowed: true });
    expect(decideReport(caller(['report.read']), goteborg, '14')).toMatchObject({
      allowed: false,
      conceal: false,
    });
    expect(decideReport(caller(['report.read']), goteborg, undefined)).toMatchObject({ allowed: false });
  });

  it('whose principal the register does not name reads nothing', () => {
    expect(decideReport(caller(['report.read']), undefined, '1480')).toMatchObject({ allowed: false });
  });
});
