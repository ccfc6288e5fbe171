/**
 * The states at the end of a period — plans active, plans with lapsed consent, overdue follow-ups — from
 * the period's own reads.
 *
 * Each event carries the changes it makes to these states for its principal and target group (+1 when a
 * plan opens, −1 when it ends; ±1 when the deadline check records a lapse or an overdue follow-up, or a
 * later write clears it). The states at the end of a month are the states at its start plus its events'
 * changes. Once a month is over (and an hour more, for writes still in flight), its closing states are
 * stored in one item; from then on they never change, because no later write can be recorded in it.
 * So an export reads that one item for the month before its period, and the period's events.
 *
 * Why not the alternatives: counters updated by every plan write would make every write of a region's
 * plans contend for one item, and a running balance carried in each event would serialise the writes of a
 * principal; a state that passes with the clock (a follow-up date) is turned into an event by the deadline
 * check, which writes the plan when it passes.
 *
 * The deadline check stores the closing states (it runs every 15 minutes and may write); an export never
 * writes. An export whose opening states are not stored yet computes them from the months before, back to
 * the last stored month — the cost then follows those months' events, once, until the check has caught up.
 */
import type { ReportStore } from '../store/report-events.ts';
import { monthOf, previousMonth, startOfMonth } from './period.ts';
import { addEvent, type Balance, balanceOf, tallyFrom } from './tally.ts';

/** How long after a month ends its closing states are stored: longer than any write can be in flight. */
export const CLOSING_GRACE_MS = 60 * 60 * 1000;
/**
 * Months without events or stored states after which the history is taken to begin. The check stores every
 * month's states from the first, so a gap this long is only ever the time before the first event.
 */
export const HISTORY_GAP_MONTHS = 24;

/** The month's states at its end, from the states at its start and its events. */
async function closeMonth(reports: ReportStore, month: string, opening: Balance): Promise<Balance> {
  const tally = tallyFrom(opening);
  for await (const page of reports.events(month)) for (const event of page) addEvent(tally, event);
  return balanceOf(tally);
}

/**
 * The states at the start of `month`: the stored closing states of the month before or, when they are not
 * stored, computed from the last stored month onwards. `store` keeps what it computes (the check does).
 */
export async function openingBalance(
  reports: ReportStore,
  month: string,
  options: { store?: boolean } = {},
): Promise<Balance> {
  const last = previousMonth(month);
  const stored = await reports.closing(last);
  if (stored) return stored;
  // Not stored yet: look further back, a year at a time, for stored states or the start of the history.
  const missing: string[] = [];
  let balance: Balance = {};
  let empty = 0;
  let next = last;
  search: for (;;) {
    const batch: string[] = [];
    for (let i = 0; i < 12; i++, next = previousMonth(next)) batch.push(next);
    const found = await Promise.all(
      batch.map(async (m) => ({ m, stored: await reports.closing(m), active: await reports.hasEvents(m) })),
    );
    for (const { m, stored, active } of found) {
      if (stored) {
        balance = stored;
        break search;
      }
      empty = active ? 0 : empty + 1;
      if (empty >= HISTORY_GAP_MONTHS) break search;
      missing.push(m);
    }
  }
  for (const m of missing.reverse()) {
    balance = await closeMonth(reports, m, balance);
    if (options.store) await reports.putClosing(m, balance);
  }
  return balance;
}

/** The latest month whose closing states may be stored at `now`. */
export function lastClosableMonth(now: Date): string {
  const current = monthOf(now);
  const previous = previousMonth(current);
  return now.getTime() >= startOfMonth(current).getTime() + CLOSING_GRACE_MS
    ? previous
    : previousMonth(previous);
}

/**
 * Stores the closing states of every month that is over and not stored yet. Run by the deadline check;
 * when nothing is missing it is one read.
 */
export async function closeReportingMonths(reports: ReportStore, now: Date): Promise<void> {
  const month = lastClosableMonth(now);
  if (await reports.closing(month)) return;
  const opening = await openingBalance(reports, month, { store: true });
  await reports.putClosing(month, await closeMonth(reports, month, opening));
}
