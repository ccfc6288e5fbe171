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
