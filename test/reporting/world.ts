/**
 * A seeded world of several hundred plans for the reporting tests: each plan follows a script (idle,
 * refused, not needed, a consent that lapses, or the whole process with follow-ups and a closure), every
 * step written through the real commands and the real plan store at its own instant, with the real
 * deadline check running on a fixed timetable in between.
 *
 * The world also keeps its own account of what it did — which principal saw which flow when, and when each
 * plan was active, had a lapsed consent or an overdue follow-up — worked out from the scripts and the
 * check's timetable alone, never from the reporting code. The tests compare exports against that account.
 */
import { randomBytes } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { COMMANDS, runCommand } from '../../shared/domain/commands/index.ts';
import type { CommandName } from '../../shared/domain/commands/lifecycle.ts';
import { ENDED } from '../../shared/domain/commands/lifecycle.ts';
import { DEFAULT_DEADLINE_SETTINGS } from '../../shared/domain/deadlines/settings.ts';
import { CreatePlanRequest, type Plan } from '../../shared/domain/plan.ts';
import { editPlan, newPlan, nextVersion } from '../../shared/domain/plan-edits.ts';
import {
  addCalendarDays,
  fromStockholmLocal,
  startOfStockholmDay,
  toStockholmDate,
  toStockholmTimestamp,
} from '../../shared/domain/time.ts';
import { newId } from '../../shared/ids.ts';
import { identityReferences } from '../../shared/privacy/identity-reference.ts';
import { runDeadlineCheck } from '../../shared/reminders/check.ts';
import { createPlanStore, type PlanStore } from '../../shared/store/plan-store.ts';
import { createReminderBook } from '../../shared/store/reminder-book.ts';
import { createReportStore } from '../../shared/store/report-events.ts';

export type Group = 'children' | 'adults' | 'older' | 'unknownAge';
export type StateName = 'active' | 'lapsedConsent' | 'overdueFollowUp';

/** The register the tests configure: the region and three municipalities. */
export const REGISTER = {
  SE2321000131: '14',
  SE2120001801: '1480',
  SE2120001802: '1481',
  SE2120001803: '1482',
} as const;
export const UNREGISTERED = 'SE5560000001';

const unit = (organisationId: string, principal: 'region' | 'municipality' | 'other', kind: string) => ({
  organisationId,
  name: `Enhet ${kind}`,
  principal,
  principalName: principal === 'region' ? 'Regionen' : principal === 'municipality' ? 'Kommunen' : 'Annan',
  unitKind: kind,
  participation: principal === 'other' ? ('invited' as const) : ('summoned' as const),
});

export const UNITS = {
  vc: unit('SE2321000131-E000000000001', 'region', 'vårdcentral'),
  ger: unit('SE2321000131-E000000000020', 'region', 'geriatrik'),
  m1: unit('SE2120001801-E000000000010', 'municipality', 'hemtjänst'),
  m2: unit('SE2120001802-E000000000011', 'municipality', 'socialtjänst'),
  m3: unit('SE2120001803-E000000000012', 'municipality', 'socialtjänst'),
  private: unit(`${UNREGISTERED}-E000000000001`, 'region', 'privat vårdgivare'),
  fk: unit('SE2021005521-F000000000001', 'other', 'Försäkringskassan'),
};
type UnitName = keyof typeof UNITS;
const ROOT = (name: UnitName) => UNITS[name].organisationId.split('-')[0] as string;

/** One flow as the world saw it: when it was recorded, under which principals, in which group. */
export interface Flow {
  at: Date;
  principals: string[];
  group: Group;
  what:
    | { initiated: string }
    | { established: 'AU124' | 'AU125' }
    | { firstMeetingDays: number }
    | { kallelseDays: number }
    | { followUpInTime: boolean }
    | { ended: string };
}

export interface PlanAccount {
  group: Group;
  /** The principals taking part from each instant on. */
  principals: { from: Date; principals: string[] }[];
  flows: Flow[];
  states: { state: StateName; from: Date; until?: Date }[];
}

export const principalsAt = (account: PlanAccount, at: Date) =>
  account.principals.filter((p) => p.from <= at).at(-1)?.principals ?? [];

// A small, seeded generator: the same world every run.
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof random>;

const DAY = 86_400_000;
const plusDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY);
const plusHours = (at: Date, hours: number) => new Date(at.getTime() + hours * 3_600_000);
const dateOf = (at: Date | string) => toStockholmDate(new Date(at));
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/** The deadline check's timetable: the 7th, 14th, 21st and 28th of each month at 03:00. */
export const CHECK_TIMES: Date[] = ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04'].flatMap((month) =>
  [7, 14, 21, 28].map((day) => fromStockholmLocal(Number(month.slice(0, 4)), Number(month.slice(5)), day, 3)),
);
/** The world's last instant: nothing happens after it. */
export const WORLD_END = fromStockholmLocal(2026, 4, 30, 20);
const firstCheckFrom = (at: Date) => CHECK_TIMES.find((check) => check >= at);

/** A valid personnummer (Luhn) for a birth date, 12 digits. */
function personnummer(birth: string, serial: number): string {
  const ten = `${birth.slice(2, 4)}${birth.slice(5, 7)}${birth.slice(8, 10)}${String(serial).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let digit = Number(ten[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return `${birth.slice(0, 4)}${ten.slice(2)}${(10 - (sum % 10)) % 10}`;
}

/** Age in whole years on a date, worked out here rather than by the model. */
const ageOn = (birth: string, on: string) =>
  Number(on.slice(0, 4)) - Number(birth.slice(0, 4)) - (on.slice(5) < birth.slice(5) ? 1 : 0);
const groupOf = (birth: string | undefined, noticedOn: string): Group => {
  if (!birth) return 'unknownAge';
  const age = ageOn(birth, noticedOn);
  return age < 18 ? 'children' : age < 65 ? 'adults' : 'older';
};

interface Step {
  at: Date;
  /** The plan's key in the world (a restart's new plan has its own). */
  key: string;
  run: (plan: Plan | undefined, now: Date) => Played;
}

/** What a step writes; a restart also names the world key of the plan it opened. */
interface Played {
  writes: { plan: Plan; previous?: Plan | undefined; action: string }[];
  opened?: { key: string; planId: string };
}

const actor = { userId: 'world', organisationId: UNITS.vc.organisationId };
const context = (now: Date) => ({ actor, now, newId: () => newId() });
const person = { name: 'Handläggare', email: 'handlaggare@example.se' };

/**
 * A command step: the body checked as the API checks it, the command run on the plan as it is, and the
 * result written (with a restart's new plan).
 */
const command =
  (name: CommandName, input: (plan: Plan) => Record<string, unknown>, newKey?: string) =>
  (plan: Plan | undefined, now: Date): Played => {
    if (!plan) throw new Error(`${name}: no plan`);
    const { consentId, ...body } = input(plan);
    const parsed = COMMANDS[name].input.parse(body) as Record<string, unknown>;
    const result = runCommand(name, plan, { ...parsed, ...(consentId ? { consentId } : {}) }, context(now));
    const edit = nextVersion(plan, result.plan, context(now));
    return {
      writes: [
        { plan: edit.plan, previous: plan, action: name },
        ...(result.created ? [{ plan: result.created, action: 'create' }] : []),
      ],
      ...(newKey && result.created && { opened: { key: newKey, planId: result.created.planId } }),
    };
  };

export interface World {
  accounts: PlanAccount[];
  /** Every plan written, by world key. */
  planIds: Map<string, string>;
  store: PlanStore;
  /**
   * Later edits of every plan still open, from `at` on: a municipality joins, the plan is closed, and the
   * deadline check runs. The world's account is not told: these happen after every period it answers for.
   */
  edit(at: Date): Promise<void>;
}

/** Builds the world's scripts and accounts, then plays every step and check in time order. */
export async function buildWorld(client: DynamoDBDocumentClient, tableName: string, count: number, seed = 7) {
  const store = createPlanStore(
    client,
    tableName,
    DEFAULT_DEADLINE_SETTINGS,
    identityReferences(randomBytes(32)),
  );
  const book = createReminderBook(client, tableName);
  const reports = createReportStore(client, tableName);
  const rng = random(seed);
  const steps: Step[] = [];
  const accounts: PlanAccount[] = [];
  for (let i = 0; i < count; i++) {
    const script = scriptPlan(rng, `p${i}`, i);
    steps.push(...script.steps);
    accounts.push(...script.accounts);
  }
  const planIds = new Map<string, string>();
  const write = async (played: Played) => {
    await store.saveAll(
      played.writes.map((w) => ({
        plan: w.plan,
        ...(w.previous && { previous: w.previous }),
        revision: {
          planId: w.plan.planId,
          version: w.plan.version,
          action: w.action,
          at: w.plan.updatedAt,
          by: actor,
          changes: ['/'],
        },
      })),
    );
  };
  const timeline = [
    ...steps.map((step) => ({ at: step.at, step })),
    ...CHECK_TIMES.map((at) => ({ at, step: undefined })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const { at, step } of timeline) {
    if (!step) {
      const result = await runDeadlineCheck({
        plans: store,
        book,
        reports,
        queue: { send: async () => {} },
        settings: DEFAULT_DEADLINE_SETTINGS,
        now: at,
      });
      if (result.failed > 0) throw new Error(`check at ${at.toISOString()}: ${JSON.stringify(result)}`);
      continue;
    }
    const id = planIds.get(step.key);
    const plan = id ? await store.get(id) : undefined;
    const played = step.run(plan, at);
    await write(played);
    const { writes, opened } = played;
    if (!planIds.has(step.key)) planIds.set(step.key, writes[0]?.plan.planId ?? '');
    if (opened) planIds.set(opened.key, opened.planId);
  }
  const edit = async (at: Date) => {
    for (const planId of planIds.values()) {
      let plan = await store.get(planId);
      if (!plan || ENDED.includes(plan.status)) continue;
      if (!plan.organisations?.some((o) => o.organisationId === UNITS.m3.organisationId)) {
        const edited = editPlan(
          plan,
          { organisations: [...(plan.organisations ?? []), UNITS.m3] },
          context(at),
        );
        await write({ writes: [{ plan: edited.plan, previous: plan, action: 'patch' }] });
        plan = edited.plan;
      }
      await write(
        command('close', () => ({ reason: 'noNewNeedsExpected', informed: [], whereToTurn: 'Ring.' }))(
          plan,
          plusHours(at, 1),
        ),
      );
    }
    await runDeadlineCheck({
      plans: store,
      book,
      reports,
      queue: { send: async () => {} },
      settings: DEFAULT_DEADLINE_SETTINGS,
      now: plusDays(at, 2),
    });
  };
  return { accounts, planIds, store, edit } satisfies World;
}

type Script = { steps: Step[]; accounts: PlanAccount[] };

/** When the plan was created: spread over December to March, a few at the edges of January. */
function creationTime(rng: Random, index: number): Date {
  const edges = [
    new Date('2026-01-31T22:50:00Z'), // 23:50 on 31 January in Stockholm: January
    new Date('2026-01-31T23:30:00Z'), // 00:30 on 1 February in Stockholm (still January in UTC): February
    new Date('2025-12-31T23:10:00Z'), // 00:10 on 1 January in Stockholm: January
  ];
  if (index < edges.length) return edges[index] as Date;
  const day = addCalendarDays('2025-12-01', rng.int(0, 118));
  return fromStockholmLocal(
    Number(day.slice(0, 4)),
    Number(day.slice(5, 7)),
    Number(day.slice(8)),
    rng.int(8, 17),
    rng.int(0, 59),
  );
}

function scriptPlan(rng: Random, key: string, index: number): Script {
  const t0 = creationTime(rng, index);
  const noticedAt = plusHours(t0, -rng.int(0, 60));
  const group = rng.pick(['children', 'adults', 'adults', 'older', 'older', 'unknownAge'] as const);
  const noticedOn = dateOf(noticedAt);
  const age = group === 'children' ? rng.int(3, 16) : group === 'adults' ? rng.int(19, 63) : rng.int(66, 95);
  const birth =
    group === 'unknownAge'
      ? undefined
      : addCalendarDays(`${Number(noticedOn.slice(0, 4)) - age}-06-15`, rng.int(-150, 150));
  const kind = rng.pick(['full', 'full', 'full', 'idle', 'lapsing', 'refused', 'notNeeded'] as const);
  const trigger =
    kind === 'notNeeded'
      ? 'discharge'
      : kind === 'refused' && rng.chance(0.5)
        ? rng.pick(['ownRequest', 'nextOfKinRequest'] as const)
        : rng.pick([
            'discharge',
            'ownRequest',
            'nextOfKinRequest',
            'professionalAssessment',
            'other',
          ] as const);
  // Who takes part: the region almost always, one municipality, sometimes more.
  const noticer: UnitName = rng.pick(['vc', 'vc', 'ger', 'm1', 'm2', 'm3']);
  const units = new Set<UnitName>([noticer]);
  if (rng.chance(0.85)) units.add(rng.pick(['vc', 'ger']));
  units.add(rng.pick(['m1', 'm1', 'm2', 'm3']));
  if (rng.chance(0.1)) units.add('private');
  if (rng.chance(0.15)) units.add('fk');
  const child = group === 'children';
  const identity = birth
    ? { type: 'personnummer', value: personnummer(birth, rng.int(100, 899)) }
    : { type: 'reservnummer', issuer: 'SE2321000131', value: `RES-${key}` };
  const request = (names: Set<UnitName>, noticed: Date, by: UnitName) =>
    CreatePlanRequest.parse({
      individual: { personalIdentity: identity, name: 'Testperson Testsson' },
      initiation: {
        noticedAt: toStockholmTimestamp(noticed),
        trigger,
        noticedBy: { organisationId: UNITS[by].organisationId, name: 'Enhet', person },
      },
      organisations: [...names].map((name) => UNITS[name]),
      longTermGoal: 'Att klara vardagen.',
      ...(child && {
        representatives: [{ kind: 'guardian', name: 'Vårdnadshavare', powers: ['consent', 'represent'] }],
      }),
    });

  const account: PlanAccount = { group: groupOf(birth, noticedOn), principals: [], flows: [], states: [] };
  const rootsOf = (names: Set<UnitName>) =>
    [...new Set([...names].filter((n) => n !== 'fk').map(ROOT))].sort();
  let current = new Set(units);
  account.principals.push({ from: t0, principals: rootsOf(current) });
  const flow = (at: Date, what: Flow['what']) =>
    account.flows.push({ at, principals: principalsAt(account, at), group: account.group, what });
  const state = (name: StateName, from: Date, until?: Date) =>
    account.states.push({ state: name, from, ...(until && { until }) });

  const steps: Step[] = [];
  const step = (at: Date, run: Step['run']) => {
    if (at <= WORLD_END) steps.push({ at, key, run });
    return at <= WORLD_END;
  };
  step(t0, (_, now) => ({
    writes: [
      {
        plan: newPlan(request(units, noticedAt, noticer), newId(now.getTime()), context(now)),
        action: 'create',
      },
    ],
  }));
  flow(t0, { initiated: trigger });
  const accounts = [account];

  const giver = (plan: Plan) =>
    child
      ? { kind: 'representative', representativeId: plan.representatives?.[0]?.id }
      : { kind: 'individual' };
  const consents = (at: Date, expiresAt?: Date) => {
    for (const kind of ['informationSharing', 'planEstablishment']) {
      step(
        at,
        command('giveConsent', (plan) => ({
          kind,
          form: 'written',
          givenBy: giver(plan),
          recipients: (plan.organisations ?? []).map((o) => o.organisationId),
          scope: 'Uppgifter om behov av stöd.',
          ...(kind === 'informationSharing' && {
            categories: ['goals', 'interventions', 'situation', 'identity'],
          }),
          givenAt: toStockholmTimestamp(at),
          ...(expiresAt && { expiresAt: toStockholmTimestamp(expiresAt) }),
        })),
      );
    }
  };
  let end: Date | undefined;
  const ends = (at: Date, reason: string, run: Step['run']) => {
    if (step(at, run)) {
      flow(at, { ended: reason });
      end = at;
    }
  };

  if (kind === 'idle') {
    // Sometimes a municipality joins, or leaves, while the plan waits.
    if (rng.chance(0.3)) {
      const at = plusDays(t0, rng.int(1, 40));
      const joining = rng.pick(['m1', 'm2', 'm3'] as const);
      const leaving = [...current].find((n) => n.startsWith('m') && n !== noticer);
      const next = new Set(current);
      if (rng.chance(0.5) && leaving) next.delete(leaving);
      else next.add(joining);
      const changed = next.size !== current.size || [...next].some((n) => !current.has(n));
      if (
        changed &&
        step(at, (plan, now) => {
          if (!plan) throw new Error('patch: no plan');
          const edit = editPlan(plan, { organisations: [...next].map((n) => UNITS[n]) }, context(now));
          return { writes: [{ plan: edit.plan, previous: plan, action: 'patch' }] };
        })
      ) {
        current = next;
        account.principals.push({ from: at, principals: rootsOf(current) });
      }
    }
  } else if (kind === 'refused') {
    const at = plusDays(t0, rng.int(1, 10));
    if (trigger === 'ownRequest' || trigger === 'nextOfKinRequest') {
      ends(
        at,
        'requestRefused',
        command('refuseRequest', () => ({ reason: 'Behovet bedöms kunna mötas utan SIP.' })),
      );
    } else {
      ends(
        at,
        'consentRefused',
        command('refuseConsent', () => ({ informedFirst: true })),
      );
    }
  } else if (kind === 'notNeeded') {
    const ready = plusDays(t0, 1);
    step(
      ready,
      command('recordDischargeEvent', () => ({
        event: 'readyForDischarge',
        at: toStockholmTimestamp(plusHours(ready, -2)),
      })),
    );
    const at = plusDays(t0, rng.int(2, 6));
    ends(
      at,
      'notNeeded',
      command('recordDischargeEvent', () => ({
        event: 'sipNotNeeded',
        at: toStockholmTimestamp(at),
        reason: 'Insatser från en huvudman räcker.',
      })),
    );
  } else if (kind === 'lapsing') {
    const given = plusDays(t0, rng.int(1, 5));
    const expires = plusDays(given, rng.int(10, 50));
    consents(given, expires);
    const renewal = rng.chance(0.4) ? plusDays(expires, rng.int(-5, 20)) : undefined;
    if (renewal) consents(renewal);
    const lapse = firstCheckFrom(expires);
    const renewed = renewal && renewal <= WORLD_END ? renewal : undefined;
    // Counted by the check: from its first run at or after the expiry until its first run after the renewal.
    const counted = renewed && firstCheckFrom(renewed);
    if (lapse && (!counted || counted > lapse)) state('lapsedConsent', lapse, counted);
  } else {
    scriptProcess();
  }
  state('active', t0, end);
  return { steps, accounts };

  /** The whole process: consent, kallelse (after a discharge report), establishment, follow-ups, an end. */
  function scriptProcess() {
    if (rng.chance(0.2)) {
      // A municipality joins before the consent, so the consent names it.
      const at = plusDays(t0, rng.int(0, 1));
      const next = new Set([...current, rng.pick(['m1', 'm2', 'm3'] as const)]);
      if (next.size > current.size) {
        const joined = plusHours(at, 1);
        step(joined, (plan, now) => {
          if (!plan) throw new Error('patch: no plan');
          const edit = editPlan(plan, { organisations: [...next].map((n) => UNITS[n]) }, context(now));
          return { writes: [{ plan: edit.plan, previous: plan, action: 'patch' }] };
        });
        current = next;
        account.principals.push({ from: joined, principals: rootsOf(current) });
      }
    }
    const consented = plusDays(t0, 2);
    consents(consented);
    let invitedAfter = consented;
    let ready: Date | undefined;
    if (trigger === 'discharge' && rng.chance(0.8)) {
      const reported = plusDays(consented, rng.int(0, 2));
      ready = plusHours(reported, -rng.int(0, 20));
      const readyAt = ready;
      step(
        reported,
        command('recordDischargeEvent', () => ({
          event: 'readyForDischarge',
          at: toStockholmTimestamp(readyAt),
        })),
      );
      invitedAfter = reported;
    }
    const sent = plusHours(invitedAfter, rng.int(1, 6 * 24));
    const startsAt = startOfStockholmDay(addCalendarDays(dateOf(sent), rng.int(5, 20)));
    const meetingAt = plusHours(startsAt, 10);
    const invitees = [...current].filter((n) => n !== 'fk').slice(0, 2);
    if (
      !step(
        sent,
        command('sendInvitation', () => ({
          purpose: 'Samordna stödet.',
          questions: ['Vilket stöd behövs?'],
          startsAt: toStockholmTimestamp(meetingAt),
          place: { kind: 'municipalVenue', address: 'Stadshuset' },
          invitees: invitees.map((n) => ({
            organisationId: UNITS[n].organisationId,
            contribution: 'Sitt stöd',
          })),
        })),
      )
    )
      return;
    if (ready) flow(sent, { kallelseDays: days(dateOf(ready), dateOf(sent)) });

    const established = plusHours(meetingAt, rng.int(2, 5 * 24));
    let planned = addCalendarDays(dateOf(meetingAt), rng.int(20, 50));
    const lead = [...current].find((n) => n === 'vc' || n === 'ger' || n.startsWith('m')) as UnitName;
    const responsible = [...current].find((n) => n.startsWith('m')) as UnitName;
    const firstPlanned = planned;
    if (
      !step(
        established,
        command('establish', () => ({
          meeting: { heldAt: toStockholmTimestamp(meetingAt), attendees: [], leader: { name: 'Ledare' } },
          content: {
            interventions: [
              {
                description: 'Stöd i hemmet',
                responsibleOrganisationId: UNITS[responsible].organisationId,
                performer: 'Hemtjänst',
                startDate: dateOf(meetingAt),
                frequency: 'dagligen',
                place: 'hemmet',
                goal: 'Klara vardagen',
              },
            ],
            leadResponsible: {
              organisationId: UNITS[lead].organisationId,
              name: 'Enhet',
              principal: UNITS[lead].principal,
              principalName: UNITS[lead].principalName,
              person,
            },
            followUp: { date: firstPlanned, place: 'Hemmet' },
          },
          ...(child && { childsVoice: 'Barnet var med en stund och sa vad som är viktigt.' }),
        })),
      )
    )
      return;
    flow(established, { established: trigger === 'discharge' || ready ? 'AU125' : 'AU124' });
    flow(established, { firstMeetingDays: days(noticedOn, dateOf(meetingAt)) });

    // Follow-ups: none, one or two; the last may close the plan.
    let last = established;
    const followUps = rng.int(0, 2);
    const closesAtFollowUp = followUps > 0 && rng.chance(0.4);
    for (let k = 0; k < followUps; k++) {
      const heldOn = addCalendarDays(planned, rng.int(-5, 10));
      const heldAt = plusHours(startOfStockholmDay(heldOn), 10);
      const recorded = plusHours(heldAt, rng.int(1, 4 * 24));
      if (recorded <= last || recorded > WORLD_END) break;
      overdue(planned, last, recorded);
      const closing = closesAtFollowUp && k === followUps - 1;
      const next = addCalendarDays(heldOn, rng.int(20, 40));
      const reason = rng.pick(['needsMet', 'noNewNeedsExpected'] as const);
      step(
        recorded,
        command('recordFollowUp', () => ({
          meeting: { heldAt: toStockholmTimestamp(heldAt), attendees: [], leader: { name: 'Ledare' } },
          progress: 'Det går framåt.',
          interventions: [],
          outcome: closing ? 'closed' : 'revised',
          ...(closing
            ? { closure: { reason, informed: [], whereToTurn: 'Ring vårdcentralen.' } }
            : { nextFollowUp: { date: next, place: 'Hemmet' } }),
        })),
      );
      flow(recorded, { followUpInTime: heldOn <= planned });
      last = recorded;
      if (closing) {
        flow(recorded, { ended: reason });
        end = recorded;
        return;
      }
      planned = next;
    }
    const ending = rng.pick(['open', 'open', 'close', 'withdraw', 'restart'] as const);
    const at = plusDays(last, rng.int(5, 60));
    if (ending === 'open' || at > WORLD_END) {
      overdue(planned, last, undefined);
      return;
    }
    overdue(planned, last, at);
    if (ending === 'close') {
      const reason = rng.pick(['needsMet', 'noNewNeedsExpected', 'other'] as const);
      ends(
        at,
        reason,
        command('close', () => ({
          reason,
          ...(reason === 'other' && { reasonText: 'Flyttat.' }),
          informed: [],
          whereToTurn: 'Ring.',
        })),
      );
    } else if (ending === 'withdraw') {
      ends(
        at,
        'consentWithdrawn',
        command('withdrawConsent', (plan) => ({
          consentId: plan.consents.find((c) => c.kind === 'planEstablishment')?.id,
        })),
      );
    } else {
      const newKey = `${key}-restart`;
      ends(
        at,
        'goalChanged',
        command('restart', () => ({ longTermGoal: 'Ett nytt mål.', informed: [] }), newKey),
      );
      // The new plan: noticed now, by the convener, with the same organisations; it needs new consent.
      const restarted: PlanAccount = {
        group: groupOf(birth, dateOf(at)),
        principals: [{ from: at, principals: rootsOf(current) }],
        flows: [],
        states: [{ state: 'active', from: at }],
      };
      restarted.flows.push({
        at,
        principals: rootsOf(current),
        group: restarted.group,
        what: { initiated: trigger },
      });
      accounts.push(restarted);
    }
  }

  /**
   * The check counts a follow-up overdue on its first run after the planned date, unless it is recorded
   * first, and counts it no more on its first run after it is recorded (or the plan ends).
   */
  function overdue(date: string, since: Date, until: Date | undefined) {
    const check = firstCheckFrom(startOfStockholmDay(addCalendarDays(date, 1)));
    const cleared = until && firstCheckFrom(until);
    if (check && check > since && (!until || check < until)) state('overdueFollowUp', check, cleared);
  }
}
