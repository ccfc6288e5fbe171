/**
 * Running totals of one export: per principal, the counts of each category by target group, the day
 * counts behind the medians (as histograms, so memory follows the number of distinct values, not of
 * events), and the end-of-period states. Adding events is order-independent, so an export is the same
 * whatever order its pages arrive in.
 */
import { type ReportEvent, STOCKS, type StockFlags, TARGET_GROUPS, type TargetGroup } from './events.ts';

export type GroupCounts = Record<TargetGroup, number>;
/** Every principal's end-of-period states: principal → target group → state → plans. */
export type Balance = Record<string, Partial<Record<TargetGroup, StockFlags>>>;

export interface PrincipalTally {
  /** `<indicator>:<category>` → counts by group. */
  counts: Map<string, GroupCounts>;
  /** `<measure>` → group → days → how many. */
  days: Map<string, Map<TargetGroup, Map<number, number>>>;
  stock: Record<TargetGroup, StockFlags>;
}

export type Tally = Map<string, PrincipalTally>;

export const zeroCounts = (): GroupCounts =>
  Object.fromEntries(TARGET_GROUPS.map((group) => [group, 0])) as GroupCounts;
const zeroStock = (): StockFlags => ({ active: 0, lapsedConsent: 0, overdueFollowUp: 0 });

function principalTally(tally: Tally, principal: string): PrincipalTally {
  let entry = tally.get(principal);
  if (!entry) {
    entry = {
      counts: new Map(),
      days: new Map(),
      stock: Object.fromEntries(TARGET_GROUPS.map((group) => [group, zeroStock()])) as Record<
        TargetGroup,
        StockFlags
      >,
    };
    tally.set(principal, entry);
  }
  return entry;
}

/** Days beyond which a timeliness measure is met "later". */
export const KALLELSE_DAYS = 3;
export const MEETING_DAYS = 21;

/** A tally that starts from the states at the start of the period. */
export function tallyFrom(opening: Balance, principal?: string): Tally {
  const tally: Tally = new Map();
  for (const [id, groups] of Object.entries(opening)) {
    if (principal && id !== principal) continue;
    const entry = principalTally(tally, id);
    for (const [group, flags] of Object.entries(groups) as [TargetGroup, StockFlags][]) {
      for (const stock of STOCKS) entry.stock[group][stock] += flags[stock];
    }
  }
  return tally;
}

/** Adds one event. */
export function addEvent(tally: Tally, event: ReportEvent): void {
  const entry = principalTally(tally, event.principal);
  const count = (key: string, n = 1) => {
    const counts = entry.counts.get(key) ?? zeroCounts();
    counts[event.group] += n;
    entry.counts.set(key, counts);
  };
  const days = (measure: string, value: number) => {
    const byGroup = entry.days.get(measure) ?? new Map<TargetGroup, Map<number, number>>();
    const histogram = byGroup.get(event.group) ?? new Map<number, number>();
    histogram.set(value, (histogram.get(value) ?? 0) + 1);
    byGroup.set(event.group, histogram);
    entry.days.set(measure, byGroup);
  };
  if (event.initiated) count(`initiated:${event.initiated}`);
  if (event.established) count(`established:${event.established}`);
  if (event.firstMeetingDays !== undefined) {
    count(`meetingAfterNeed:${event.firstMeetingDays <= MEETING_DAYS ? 'within' : 'later'}`);
    days('meetingAfterNeed', event.firstMeetingDays);
  }
  if (event.kallelseAfterDischargeDays !== undefined) {
    count('kallelseAfterDischarge:sent');
    count(`kallelseAfterDischarge:${event.kallelseAfterDischargeDays <= KALLELSE_DAYS ? 'within' : 'later'}`);
    days('kallelseAfterDischarge', event.kallelseAfterDischargeDays);
  }
  if (event.followUpsByPlannedDate) {
    count('followUps:held', event.followUpsByPlannedDate);
    count('followUps:within', event.followUpsByPlannedDate);
  }
  if (event.followUpsAfterPlannedDate) {
    count('followUps:held', event.followUpsAfterPlannedDate);
    count('followUps:later', event.followUpsAfterPlannedDate);
  }
  if (event.ended) count(`closed:${event.ended}`);
  for (const change of event.stock ?? []) {
    for (const stock of STOCKS) entry.stock[change.group][stock] += change[stock];
  }
}

/** The end-of-period states of a tally, as the next period's opening balance. */
export function balanceOf(tally: Tally): Balance {
  const balance: Balance = {};
  for (const [principal, entry] of [...tally].sort(([a], [b]) => a.localeCompare(b))) {
    const groups = Object.fromEntries(
      TARGET_GROUPS.filter((group) => STOCKS.some((stock) => entry.stock[group][stock] !== 0)).map(
        (group) => [group, { ...entry.stock[group] }],
      ),
    );
    if (Object.keys(groups).length > 0) balance[principal] = groups;
  }
  return balance;
}
