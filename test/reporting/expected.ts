/**
 * The figures an export should show, worked out from the world's own account of what it did — flows by
 * when they were recorded, states at the period's last instant — without any of the reporting code.
 */
import { addCalendarDays, startOfStockholmDay } from '../../shared/domain/time.ts';
import { type Group, type PlanAccount, principalsAt } from './world.ts';

export const GROUPS: Group[] = ['children', 'adults', 'older', 'unknownAge'];
const zero = (): Record<Group, number> => ({ children: 0, adults: 0, older: 0, unknownAge: 0 });

export interface Expected {
  /** `<indicator>:<category>` → counts by group (interior cells only). */
  counts: Map<string, Record<Group, number>>;
  /** Day counts behind the medians, and the parts behind the shares. */
  days: Map<string, Record<Group, number[]>>;
}

export function expectedFigures(accounts: PlanAccount[], from: string, to: string): Map<string, Expected> {
  const start = startOfStockholmDay(from);
  const end = startOfStockholmDay(addCalendarDays(to, 1));
  const last = new Date(end.getTime() - 1);
  const byPrincipal = new Map<string, Expected>();
  const of = (principal: string) => {
    let entry = byPrincipal.get(principal);
    if (!entry) {
      entry = { counts: new Map(), days: new Map() };
      byPrincipal.set(principal, entry);
    }
    return entry;
  };
  const count = (principal: string, key: string, group: Group) => {
    const entry = of(principal);
    const counts = entry.counts.get(key) ?? zero();
    counts[group] += 1;
    entry.counts.set(key, counts);
  };
  const day = (principal: string, key: string, group: Group, value: number) => {
    const entry = of(principal);
    const values = entry.days.get(key) ?? { children: [], adults: [], older: [], unknownAge: [] };
    values[group].push(value);
    entry.days.set(key, values);
  };

  for (const account of accounts) {
    for (const flow of account.flows) {
      if (flow.at < start || flow.at >= end) continue;
      for (const principal of flow.principals) {
        const { what, group } = flow;
        if ('initiated' in what) count(principal, `initiated:${what.initiated}`, group);
        if ('established' in what) count(principal, `established:${what.established}`, group);
        if ('ended' in what) count(principal, `closed:${what.ended}`, group);
        if ('firstMeetingDays' in what) day(principal, 'meetingAfterNeed', group, what.firstMeetingDays);
        if ('kallelseDays' in what) {
          count(principal, 'kallelseAfterDischarge:sent', group);
          day(principal, 'kallelseAfterDischarge', group, what.kallelseDays);
        }
        if ('followUpInTime' in what) {
          count(principal, 'followUps:held', group);
          day(principal, 'followUps', group, what.followUpInTime ? 0 : 1);
        }
      }
    }
    for (const state of account.states) {
      if (state.from > last || (state.until && state.until <= last)) continue;
      for (const principal of principalsAt(account, last))
        count(principal, `endOfPeriod:${state.state}`, account.group);
    }
  }
  return byPrincipal;
}

export const medianOf = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** The limits of the timeliness shares, in calendar days (a follow-up's day count is 0 in time, 1 late). */
export const SHARE_LIMITS: Record<string, number> = {
  meetingAfterNeed: 21,
  kallelseAfterDischarge: 3,
  followUps: 0,
};

/**
 * What one cell of a report truly is, before disclosure control: a count (summed over `categories` for a
 * total row), or a share or median of the day counts (`null` when there are none).
 */
export function trueValue(
  figures: Expected | undefined,
  cell: { indicator: string; categories: string[]; unit: string; column: Group | 'total' },
): number | null {
  const groups = cell.column === 'total' ? GROUPS : [cell.column];
  if (cell.unit === 'count') {
    return cell.categories.reduce(
      (sum, category) =>
        sum +
        groups.reduce((s, g) => s + (figures?.counts.get(`${cell.indicator}:${category}`)?.[g] ?? 0), 0),
      0,
    );
  }
  const days = figures?.days.get(cell.indicator);
  const values = groups.flatMap((g) => days?.[g] ?? []);
  if (values.length === 0) return null;
  if (cell.unit === 'days') return medianOf(values);
  const within = values.filter((v) => v <= (SHARE_LIMITS[cell.indicator] ?? 0)).length;
  return Math.round((within * 1000) / values.length) / 10;
}
