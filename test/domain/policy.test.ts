/**
 * The access policy against the rules as the issue states them, case by case. (The property test in
 * test/security proves the routes follow this function; this file proves the function says what it should.)
 */
import { describe, expect, it } from 'vitest';
import { type Action, type Caller, decide, type PlanAccess } from '../../shared/policy/policy.ts';

const CONVENER = 'SE2321000131-E000000000001';
const LEAD = 'SE2120001801-E000000000010';
const OTHER = 'SE2321000131-E000000000020';
const OUTSIDER = 'SE2321000131-E000000000999';

const caller = (organisationId: string, scopes = ['sip.read', 'sip.write']): Caller => ({
  userId: 'u',
  organisationId,
  scopes: new Set(scopes),
});
const at = (iso: string) => new Date(iso);
const consent = (recipients: string[], from: string, until: string) => ({ recipients, from, until });

const plan = (over: Partial<PlanAccess> = {}): PlanAccess => ({
  status: 'established',
  convener: CONVENER,
  leadResponsible: LEAD,
  participants: [CONVENER, LEAD, OTHER],
  sharing: [consent([CONVENER, LEAD, OTHER], '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')],
  ...over,
});

const outcome = (
  organisationId: string,
  action: Action,
  now: string,
  access?: PlanAccess,
  scopes?: string[],
) => {
  const decision = decide(caller(organisationId, scopes), action, at(now), access);
  return decision.allowed ? 'allow' : decision.conceal ? '404' : '403';
};

describe('the access policy', () => {
  it('needs the action’s scope first, and says so (nothing concealed: the answer is the same for any plan)', () => {
    expect(outcome(CONVENER, 'plan.read', '2026-06-01T00:00:00Z', plan(), ['sip.write'])).toBe('403');
    expect(outcome(CONVENER, 'plan.update', '2026-06-01T00:00:00Z', plan(), ['sip.read'])).toBe('403');
    expect(outcome(CONVENER, 'plan.create', '2026-06-01T00:00:00Z', undefined, ['sip.write'])).toBe('allow');
    expect(outcome(CONVENER, 'report.read', '2026-06-01T00:00:00Z', undefined, ['sip.read'])).toBe('403');
    expect(outcome(CONVENER, 'report.read', '2026-06-01T00:00:00Z', undefined, ['report.read'])).toBe(
      'allow',
    );
  });

  it('lets a participant named by a valid consent read and change; conceals from everyone else', () => {
    const now = '2026-06-01T00:00:00Z';
    expect(outcome(OTHER, 'plan.read', now, plan())).toBe('allow');
    expect(outcome(OTHER, 'plan.update', now, plan())).toBe('allow');
    expect(outcome(OUTSIDER, 'plan.read', now, plan())).toBe('404');
    // Named by the consent but not taking part: consent alone does not let an organisation in.
    const named = plan({ sharing: [consent([OUTSIDER], '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')] });
    expect(outcome(OUTSIDER, 'plan.read', now, named)).toBe('404');
    // Taking part but not named.
    const onlyConvener = plan({
      sharing: [consent([CONVENER], '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')],
    });
    expect(outcome(OTHER, 'plan.read', now, onlyConvener)).toBe('404');
  });

  it('holds a consent from the millisecond it is given until the millisecond it ends, exclusive', () => {
    const access = plan({
      sharing: [consent([OTHER], '2026-01-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z')],
    });
    expect(outcome(OTHER, 'plan.read', '2025-12-31T23:59:59.999Z', access)).toBe('404');
    expect(outcome(OTHER, 'plan.read', '2026-01-01T00:00:00.000Z', access)).toBe('allow');
    expect(outcome(OTHER, 'plan.read', '2026-06-30T23:59:59.999Z', access)).toBe('allow');
    expect(outcome(OTHER, 'plan.read', '2026-07-01T00:00:00.000Z', access)).toBe('404');
  });

  it('gives the convener the record before any consent, to obtain one — and no one else', () => {
    const before = plan({ status: 'initiated', leadResponsible: undefined, sharing: [] });
    const now = '2026-06-01T00:00:00Z';
    expect(outcome(CONVENER, 'plan.read', now, before)).toBe('allow');
    expect(outcome(CONVENER, 'plan.update', now, before)).toBe('allow');
    expect(outcome(OTHER, 'plan.read', now, before)).toBe('404');
  });

  it('leaves the convener and the lead responsible after consent ends; the lead may read and close only', () => {
    const ended = plan({
      sharing: [consent([CONVENER, LEAD, OTHER], '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')],
    });
    const now = '2026-06-01T00:00:00Z';
    expect(outcome(OTHER, 'plan.read', now, ended)).toBe('404');
    expect(outcome(LEAD, 'plan.read', now, ended)).toBe('allow');
    expect(outcome(LEAD, 'plan.close', now, ended)).toBe('allow');
    expect(outcome(LEAD, 'plan.update', now, ended)).toBe('403');
    expect(outcome(CONVENER, 'plan.update', now, ended)).toBe('allow');
    // A lead responsible no consent ever named had nothing to keep.
    const neverNamed = plan({
      sharing: [consent([CONVENER], '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')],
    });
    expect(outcome(LEAD, 'plan.read', now, neverNamed)).toBe('404');
  });

  it('makes an ended plan read-only for everyone who may still read it', () => {
    const now = '2026-06-01T00:00:00Z';
    for (const status of ['closed', 'consentRefused', 'requestRefused', 'notNeeded'] as const) {
      const ended = plan({ status });
      expect(outcome(OTHER, 'plan.read', now, ended)).toBe('allow');
      expect(outcome(OTHER, 'plan.update', now, ended)).toBe('403');
      expect(outcome(CONVENER, 'plan.close', now, ended)).toBe('403');
    }
  });

  it('gives the audit extract to the lead responsible’s organisation, or the convener’s while there is none', () => {
    const now = '2026-06-01T00:00:00Z';
    expect(outcome(LEAD, 'plan.audit', now, plan())).toBe('allow');
    expect(outcome(CONVENER, 'plan.audit', now, plan())).toBe('403');
    expect(outcome(OTHER, 'plan.audit', now, plan())).toBe('403');
    expect(outcome(OUTSIDER, 'plan.audit', now, plan())).toBe('404');
    expect(outcome(CONVENER, 'plan.audit', now, plan({ leadResponsible: undefined }))).toBe('allow');
    expect(outcome(LEAD, 'plan.audit', now, plan({ status: 'closed', sharing: [] }))).toBe('allow');
  });
});
