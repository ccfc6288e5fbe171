/**
 * The reporting record: what each plan write adds to the regional figures, as events derived by comparing
 * the plan before and after the write. They are written in the write's own transaction (a companion of
 * the plan store), so the record can never disagree with the plans, and keyed by when the write was
 * recorded, so that a period's events are all an export reads.
 *
 * An event counts in the period in which it was recorded. A meeting registered on 2 April for 30 March
 * counts in April: that is what keeps a closed period's figures from ever changing. The dates the
 * timeliness measures need (the need noticed, a kallelse sent, a meeting held) travel as day counts.
 *
 * Events carry counts-relevant facts only: the principal, the target group (never the date of birth),
 * the trigger, the KVÅ code, the closure reason, day counts, and the changes to the plan's end-of-period
 * states. No name, no identity, no free text.
 */
import { ENDED } from '../domain/commands/lifecycle.ts';
import { deadlinesOf, stateOf } from '../domain/deadlines/deadlines.ts';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import { ageOn } from '../domain/personal-identity.ts';
import type { Plan } from '../domain/plan.ts';
import { ClosureReason } from '../domain/process.ts';
import { toStockholmDate } from '../domain/time.ts';
import { principalsOf } from './principals.ts';

/** Age at initiation, on the day the need was noticed. `unknownAge`: a reservnummer carries no birth date. */
export const TARGET_GROUPS = ['children', 'adults', 'older', 'unknownAge'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

/** Why a plan ended: a closure's reason, or one of the ends before a plan was drawn up. */
export const END_REASONS = [
  ...ClosureReason.options,
  'consentRefused',
  'requestRefused',
  'notNeeded',
] as const;
export type EndReason = (typeof END_REASONS)[number];

/** The states counted at the end of a period, each 0 or 1 for one plan. */
export const STOCKS = ['active', 'lapsedConsent', 'overdueFollowUp'] as const;
export type Stock = (typeof STOCKS)[number];
export type StockFlags = Record<Stock, number>;

/**
 * One principal's share of one plan write, as stored. Plain types rather than a schema: events are made
 * here and nowhere else, never parsed from outside, and the API's cold start need not build a schema for them.
 */
export interface ReportEvent {
  /** When the write was recorded (UTC ISO): the period the event counts in. */
  at: string;
  /** The principal's organisation id (see `principals.ts`). */
  principal: string;
  /** The plan's target group at this write. */
  group: TargetGroup;
  initiated?: Plan['initiation']['trigger'];
  established?: 'AU124' | 'AU125';
  /** The plan's first meeting was recorded: calendar days from the need noticed to the meeting. */
  firstMeetingDays?: number;
  /** The first kallelse after a ready-for-discharge report: calendar days from the report to the kallelse. */
  kallelseAfterDischargeDays?: number;
  /** Follow-ups recorded (AW010): held on or before their planned date, and after it. */
  followUpsByPlannedDate?: number;
  followUpsAfterPlannedDate?: number;
  ended?: EndReason;
  /** Changes to the end-of-period states, per target group (two groups when the group itself changed). */
  stock?: ({ group: TargetGroup } & StockFlags)[];
}

/** Calendar days between two Stockholm dates (`YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const dateOf = (timestamp: string) => toStockholmDate(new Date(timestamp));

/** The target group of the individual on the day the need was noticed. */
export function targetGroupOf(plan: Plan): TargetGroup {
  const age = ageOn(plan.individual.personalIdentity, dateOf(plan.initiation.noticedAt));
  if (age === undefined) return 'unknownAge';
  return age < 18 ? 'children' : age < 65 ? 'adults' : 'older';
}

/**
 * The plan's end-of-period state that its writes decide: whether it is active. The states that pass with
 * the clock — a consent lapsed, a follow-up overdue — are counted by the deadline check instead
 * ({@link timedStateEvents}), which runs at those moments; a plan write leaves them to it.
 */
export function stockOf(plan: Plan): StockFlags {
  return { active: ENDED.includes(plan.status) ? 0 : 1, lapsedConsent: 0, overdueFollowUp: 0 };
}

/** The states that pass with the clock, of one plan, as last counted: under which principals and group. */
export interface TimedStates {
  principals: string[];
  group: TargetGroup;
  lapsedConsent: number;
  overdueFollowUp: number;
}

/**
 * A plan's timed states at `now`, by the deadline rules every other reader uses ({@link stateOf}): a consent
 * lapsed (its expiry overdue: past `expiresAt`, not renewed, withdrawn or ended) and a follow-up overdue.
 */
export function timedStatesOf(plan: Plan, now: Date, settings: DeadlineSettings): TimedStates {
  const overdue = (kind: string) =>
    deadlinesOf(plan, now, settings).some((d) => d.kind === kind && stateOf(d, now) === 'overdue') ? 1 : 0;
  return {
    principals: [...principalsOf(plan)].sort(),
    group: targetGroupOf(plan),
    lapsedConsent: overdue('consentExpiry'),
    overdueFollowUp: overdue('followUp'),
  };
}

/**
 * How plans written before the check counted timed states had them counted: by the records the check then
 * kept in the plan (`lapsedAt`, a follow-up's `overdue` reminder), through the plan's own write events.
 */
export function legacyTimedStatesOf(plan: Plan): TimedStates {
  const open = !ENDED.includes(plan.status);
  const lapsed = plan.consents.some(
    (consent) =>
      consent.lapsedAt !== undefined &&
      !consent.withdrawnAt &&
      !plan.consents.some(
        (other) =>
          other.id !== consent.id &&
          other.kind === consent.kind &&
          !other.withdrawnAt &&
          Date.parse(other.expiresAt) > Date.parse(consent.expiresAt),
      ),
  );
  const followUp = plan.status === 'established' ? plan.content?.followUp : undefined;
  const overdue =
    followUp !== undefined &&
    (plan.reminders ?? []).some(
      (r) => r.deadlineKey === `followUp:${followUp.date}` && r.stage === 'overdue',
    );
  return {
    principals: [...principalsOf(plan)].sort(),
    group: targetGroupOf(plan),
    lapsedConsent: open && lapsed ? 1 : 0,
    overdueFollowUp: overdue ? 1 : 0,
  };
}

/**
 * The events that bring the counted timed states of a plan (`counted`, none at first) to `current`, at `at`:
 * one per principal whose counts change, taking them off the old principals and group and onto the new.
 */
export function timedStateEvents(
  counted: TimedStates | undefined,
  current: TimedStates,
  at: Date,
): ReportEvent[] {
  const principals = [...new Set([...(counted?.principals ?? []), ...current.principals])].sort();
  return principals.flatMap((principal) => {
    const changes = new Map<TargetGroup, StockFlags>();
    const add = (states: TimedStates, sign: number) => {
      const cell = changes.get(states.group) ?? { ...NO_STOCK };
      cell.lapsedConsent += sign * states.lapsedConsent;
      cell.overdueFollowUp += sign * states.overdueFollowUp;
      changes.set(states.group, cell);
    };
    if (counted?.principals.includes(principal)) add(counted, -1);
    if (current.principals.includes(principal)) add(current, 1);
    const stock = [...changes]
      .filter(([, cell]) => cell.lapsedConsent !== 0 || cell.overdueFollowUp !== 0)
      .map(([group, cell]) => ({ group, ...cell }));
    return stock.length > 0 ? [{ at: at.toISOString(), principal, group: current.group, stock }] : [];
  });
}

const NO_STOCK: StockFlags = { active: 0, lapsedConsent: 0, overdueFollowUp: 0 };

/** What happened in this write, for the flows: the same for every principal of the plan. */
function flowsOf(previous: Plan | undefined, plan: Plan): Partial<ReportEvent> {
  const flows: Partial<ReportEvent> = {};
  if (!previous) flows.initiated = plan.initiation.trigger;
  if (!previous?.establishment && plan.establishment) {
    flows.established = plan.establishment.kvaCode === 'AU125' ? 'AU125' : 'AU124';
  }
  const firstMeeting = plan.meetings[0];
  if ((previous?.meetings.length ?? 0) === 0 && firstMeeting) {
    flows.firstMeetingDays = daysBetween(dateOf(plan.initiation.noticedAt), dateOf(firstMeeting.heldAt));
  }
  const kallelse = firstKallelseAfterDischarge(previous, plan);
  if (kallelse !== undefined) flows.kallelseAfterDischargeDays = kallelse;
  const known = new Set((previous?.followUps ?? []).map((f) => f.id));
  const planned = previous?.content?.followUp?.date;
  for (const followUp of plan.followUps.filter((f) => !known.has(f.id))) {
    const inTime = planned === undefined || dateOf(followUp.heldAt) <= planned;
    const key = inTime ? 'followUpsByPlannedDate' : 'followUpsAfterPlannedDate';
    flows[key] = (flows[key] ?? 0) + 1;
  }
  if (previous && !ENDED.includes(previous.status) && ENDED.includes(plan.status)) {
    flows.ended = plan.status === 'closed' ? (plan.closure?.reason ?? 'other') : (plan.status as EndReason);
  }
  return flows;
}

/**
 * Days from the ready-for-discharge report to the kallelse this write sent, when it is the first kallelse
 * since that report — the one the three-day rule is about. A report answered by a meeting already booked
 * for after it has nothing to measure.
 */
function firstKallelseAfterDischarge(previous: Plan | undefined, plan: Plan): number | undefined {
  const ready = plan.discharge?.readyForDischargeAt;
  if (!ready || !previous) return undefined;
  const readyAt = Date.parse(ready);
  const answers = (i: Plan['invitations'][number]) =>
    Date.parse(i.sentAt) >= readyAt || Date.parse(i.startsAt) >= readyAt;
  if (previous.invitations.some(answers)) return undefined;
  const known = new Set(previous.invitations.map((i) => i.id));
  const sent = plan.invitations
    .filter((i) => !known.has(i.id) && Date.parse(i.sentAt) >= readyAt)
    .sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt))[0];
  return sent ? daysBetween(dateOf(ready), dateOf(sent.sentAt)) : undefined;
}

/**
 * The reporting events of one plan write: one per principal the write changes anything for. A plan counts
 * under every principal taking part at the time: the flows go to the principals of the plan as written,
 * and the end-of-period states move between principals and groups as the plan does (a municipality
 * joining an active plan adds one to its active plans; one leaving takes one away).
 */
export function reportEventsOf(previous: Plan | undefined, plan: Plan): ReportEvent[] {
  const at = new Date(plan.updatedAt).toISOString();
  const group = targetGroupOf(plan);
  const before = previous && {
    group: targetGroupOf(previous),
    principals: principalsOf(previous),
    stock: stockOf(previous),
  };
  const after = { group, principals: principalsOf(plan), stock: stockOf(plan) };
  const flows = flowsOf(previous, plan);
  const principals = [...new Set([...(before?.principals ?? []), ...after.principals])].sort();

  return principals.flatMap((principal) => {
    const old = before?.principals.has(principal) ? before : undefined;
    const now = after.principals.has(principal) ? after : undefined;
    const changes = new Map<string, StockFlags>();
    const add = (g: string, flags: StockFlags, sign: number) => {
      const cell = changes.get(g) ?? { ...NO_STOCK };
      for (const stock of Object.keys(cell) as (keyof StockFlags)[]) cell[stock] += sign * flags[stock];
      changes.set(g, cell);
    };
    if (old) add(old.group, old.stock, -1);
    if (now) add(now.group, now.stock, 1);
    const stock = [...changes]
      .filter(([, cell]) => Object.values(cell).some((n) => n !== 0))
      .map(([g, cell]) => ({ group: g as TargetGroup, ...cell }));
    const event: ReportEvent = {
      at,
      principal,
      group: now?.group ?? old?.group ?? group,
      ...(now && flows),
      ...(stock.length > 0 && { stock }),
    };
    return Object.keys(event).length > 3 ? [event] : [];
  });
}
