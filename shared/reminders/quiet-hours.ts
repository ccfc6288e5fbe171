import {
  addCalendarDays,
  fromStockholmLocal,
  toStockholmDate,
  toStockholmTimestamp,
} from '../domain/time.ts';

/**
 * SMS is never sent between 21:00 and 08:00 Stockholm time: it waits until 08:00. Returns that 08:00, or
 * `undefined` when an SMS may go now. E-mail goes any time.
 */
export function smsQuietUntil(now: Date): Date | undefined {
  const hour = Number(toStockholmTimestamp(now).slice(11, 13));
  if (hour >= 8 && hour < 21) return undefined;
  const day = hour < 8 ? toStockholmDate(now) : addCalendarDays(toStockholmDate(now), 1);
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return fromStockholmLocal(y, m, d, 8);
}
