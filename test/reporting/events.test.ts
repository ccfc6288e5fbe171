/** The reporting events of a plan write, as a pure function of the plan before and after. */
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../shared/domain/commands/index.ts';
import { CreatePlanRequest, type Plan } from '../../shared/domain/plan.ts';
import { editPlan, newPlan, nextVersion } from '../../shared/domain/plan-edits.ts';
import { reportEventsOf } from '../../shared/reporting/events.ts';
import { principalIdOf } from '../../shared/reporting/principals.ts';
import { establishmentConsent, invitation, sharingConsent } from '../support/process.ts';
import { elsa, HEMTJANST } from '../support/scenarios.ts';

const actor = { userId: 'test', organisationId: 'SE2321000131-E000000000001' };
let ids = 0;
const context = (at: string) => ({
  actor,
  now: new Date(at),
  newId: () => `00000000-0000-7000-8000-${String(++ids).padStart(12, '0')}`,
});
const created = (body: unknown = elsa, at = '2026-11-03T09:00:00+01:00') =>
  newPlan(CreatePlanRequest.parse(body), '01a20b26-ff3d-7dff-9b59-d189a43454e1', context(at));
const run = (plan: Plan, name: Parameters<typeof runCommand>[0], input: unknown, at: string) =>
  nextVersion(plan, runCommand(name, plan, input, context(at)).plan, context(at)).plan;

const REGION = 'SE2321000131';
const GOTEBORG = 'SE2120001801';

describe('the events of a plan write', () => {
  it('opens a plan under each principal taking part: initiated by its trigger, active in its target group', () => {
    const events = reportEventsOf(undefined, created());
    expect(events).toEqual([
      {
        at: '2026-11-03T08:00:00.000Z',
        principal: GOTEBORG,
        group: 'older',
        initiated: 'discharge',
        stock: [{ group: 'older', active: 1, lapsedConsent: 0, overdueFollowUp: 0 }],
      },
      {
        at: '2026-11-03T08:00:00.000Z',
        principal: REGION,
        group: 'older',
        initiated: 'discharge',
        stock: [{ group: 'older', active: 1, lapsedConsent: 0, overdueFollowUp: 0 }],
      },
    ]);
  });

  it('carries no name, no identity and no free text (the principals’ organisation numbers stay in the table)', () => {
    const text = JSON.stringify(reportEventsOf(undefined, created()));
    expect(text).not.toMatch(/Elsa|Exempel|Maria|194203152386|420315|Storgatan|affären|bo kvar/i);
  });

  it('has nothing to count for a change of what the plan says', () => {
    const plan = created();
    const edited = editPlan(
      plan,
      { longTermGoal: 'Att gå till affären.' },
      context('2026-11-04T09:00:00+01:00'),
    ).plan;
    expect(reportEventsOf(plan, edited)).toEqual([]);
  });

  it('adds an active plan to a principal that joins it, and takes it from one that leaves', () => {
    const plan = created({
      ...elsa,
      organisations: elsa.organisations.filter((o) => o.organisationId !== HEMTJANST),
      content: undefined,
    });
    const joined = editPlan(
      plan,
      { organisations: elsa.organisations },
      context('2026-11-04T09:00:00+01:00'),
    ).plan;
    expect(reportEventsOf(plan, joined)).toEqual([
      {
        at: '2026-11-04T08:00:00.000Z',
        principal: GOTEBORG,
        group: 'older',
        stock: [{ group: 'older', active: 1, lapsedConsent: 0, overdueFollowUp: 0 }],
      },
    ]);
    expect(reportEventsOf(joined, plan)[0]?.stock).toEqual([
      { group: 'older', active: -1, lapsedConsent: 0, overdueFollowUp: 0 },
    ]);
  });

  it('moves the plan between target groups when a corrected identity puts the individual in another', () => {
    const plan = created();
    const corrected = editPlan(
      plan,
      { individual: { personalIdentity: { type: 'personnummer', value: '19121212-1212' } } },
      context('2026-11-04T09:00:00+01:00'),
    ).plan;
    // Tolvan, born 1912, is older too; a reservnummer has no age.
    const unknown = editPlan(
      plan,
      { individual: { personalIdentity: { type: 'reservnummer', issuer: 'SE2321000131', value: 'R1' } } },
      context('2026-11-04T09:00:00+01:00'),
    ).plan;
    expect(reportEventsOf(plan, corrected)).toEqual([]);
    expect(reportEventsOf(plan, unknown)[0]?.stock).toEqual([
      { group: 'older', active: -1, lapsedConsent: 0, overdueFollowUp: 0 },
      { group: 'unknownAge', active: 1, lapsedConsent: 0, overdueFollowUp: 0 },
    ]);
  });

  it('measures the first kallelse after a discharge report in calendar days, and only the first', () => {
    let plan = created();
    plan = run(
      plan,
      'recordDischargeEvent',
      { event: 'readyForDischarge', at: '2026-11-08T14:10:00+01:00' },
      '2026-11-08T14:20:00+01:00',
    );
    plan = run(plan, 'giveConsent', sharingConsent(), '2026-11-08T16:00:00+01:00');
    plan = run(plan, 'giveConsent', establishmentConsent(), '2026-11-08T16:00:00+01:00');
    const invited = run(plan, 'sendInvitation', invitation(), '2026-11-10T23:30:00+01:00');
    expect(reportEventsOf(plan, invited).map((e) => e.kallelseAfterDischargeDays)).toEqual([2, 2]);
    const again = run(
      invited,
      'sendInvitation',
      invitation('2026-11-20T10:00:00+01:00'),
      '2026-11-12T09:00:00+01:00',
    );
    expect(reportEventsOf(invited, again)).toEqual([]);
  });

  it('counts the establishment by KVÅ code, with the days from the need to the meeting', () => {
    let plan = created();
    plan = run(plan, 'giveConsent', sharingConsent(), '2026-11-08T16:00:00+01:00');
    plan = run(plan, 'giveConsent', establishmentConsent(), '2026-11-08T16:00:00+01:00');
    plan = run(plan, 'sendInvitation', invitation(), '2026-11-09T09:00:00+01:00');
    const established = run(
      plan,
      'establish',
      {
        meeting: { heldAt: '2026-11-15T10:00:00+01:00', attendees: [], leader: { name: 'Anna' } },
        content: elsa.content,
      },
      '2026-11-16T09:00:00+01:00',
    );
    const [event] = reportEventsOf(plan, established);
    expect(event).toMatchObject({ established: 'AU125', firstMeetingDays: 13 });
    expect(event?.stock).toBeUndefined();
  });

  it('ends the plan under each principal with its reason', () => {
    const plan = created();
    const closed = run(
      plan,
      'close',
      { reason: 'needsMet', informed: [], whereToTurn: 'Ring.' },
      '2026-12-01T09:00:00+01:00',
    );
    expect(reportEventsOf(plan, closed).map((e) => [e.principal, e.ended, e.stock?.[0]?.active])).toEqual([
      [GOTEBORG, 'needsMet', -1],
      [REGION, 'needsMet', -1],
    ]);
  });
});

describe('principals', () => {
  it('are read from the organisation-number root of an HSA-id, or are the organisation itself', () => {
    expect(principalIdOf('SE2321000131-E000000000001')).toBe('SE2321000131');
    expect(principalIdOf('kommun-42')).toBe('kommun-42');
  });

  it('leave out units under another principal (Försäkringskassan, an employer)', () => {
    const fk = {
      organisationId: 'SE2021005521-F000000000001',
      name: 'Försäkringskassan',
      principal: 'other',
      principalName: 'Försäkringskassan',
      unitKind: 'myndighet',
      participation: 'invited',
    };
    const events = reportEventsOf(
      undefined,
      created({ ...elsa, organisations: [...elsa.organisations, fk] }),
    );
    expect(events.map((e) => e.principal)).toEqual([GOTEBORG, REGION]);
  });
});
