/**
 * Calendar arithmetic in Europe/Stockholm. Every date-only field of a plan is a Stockholm calendar date,
 * and every timestamp the service writes carries Stockholm's offset, so that a case worker reads
 * `2026-11-24T09:00:00+01:00` and not a UTC time they must convert. Pure functions: `now` is always an argument.
 */

export const TIME_ZONE = 'Europe/Stockholm';

// Created on first use: building a formatter for a time zone loads ICU's zone data, about 20 ms that
// would otherwise land on every cold start, including those of reads that never format a time.
let partsFormat: Intl.DateTimeFormat | undefined;
const stockholmFormat = () =>
  (partsFormat ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'longOffset',
  }));

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Offset from UTC in minutes (60 in winter, 120 in summer). */
  offsetMinutes: number;
}

function localParts(instant: Date): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of stockholmFormat().formatToParts(instant)) parts[part.type] = part.value;
  // `longOffset` gives "GMT+01:00" (or "GMT" at offset zero, which Stockholm never has but handle anyway).
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(parts.timeZoneName ?? '');
  const offsetMinutes = offset
    ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]))
    : 0;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    offsetMinutes,
  };
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** An instant as ISO 8601 with Stockholm's offset at that instant, e.g. `2026-11-24T09:05:00.000+01:00`. */
export function toStockholmTimestamp(instant: Date): string {
  const p = localParts(instant);
  const sign = p.offsetMinutes < 0 ? '-' : '+';
  return (
    `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
    `.${pad(instant.getUTCMilliseconds(), 3)}${sign}${pad(Math.trunc(p.offsetMinutes / 60))}:${pad(p.offsetMinutes % 60)}`
  );
}

/** The Stockholm calendar date (`YYYY-MM-DD`) of an instant. */
export function toStockholmDate(instant: Date): string {
  const p = localParts(instant);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/**
 * The instant at which a Stockholm wall-clock time occurs. On the autumn day when 02:00–03:00 happens
 * twice, the first occurrence is taken; on the spring day when it does not exist, the time is read with
 * the winter offset (so 02:30 becomes 03:30 summer time).
 */
export function fromStockholmLocal(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // Stockholm is UTC+1 or UTC+2: try both offsets, keep the first that maps back to the same wall time.
  for (const offsetMinutes of [120, 60]) {
    const candidate = new Date(asUtc - offsetMinutes * 60_000);
    if (localParts(candidate).offsetMinutes === offsetMinutes) {
      const p = localParts(candidate);
      if (p.hour === hour && p.day === day) return candidate;
    }
  }
  return new Date(asUtc - 60 * 60_000);
}

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The same Stockholm wall-clock moment `years` later; 29 February becomes 28 February in a common year.
 * Used for the one-year limit of a consent: given 2025-02-28 10:00 → at most 2026-02-28 10:00.
 */
export function addStockholmYears(instant: Date, years: number): Date {
  const p = localParts(instant);
  const year = p.year + years;
  const day = Math.min(p.day, daysInMonth(year, p.month));
  return fromStockholmLocal(year, p.month, day, p.hour, p.minute, p.second, instant.getUTCMilliseconds());
}

/** A calendar date `days` later (or earlier, for negative `days`): `2026-02-28` + 1 → `2026-03-01`. */
export function addCalendarDays(date: string, days: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The instant a Stockholm calendar date begins (00:00 local, whatever the offset that day). */
export function startOfStockholmDay(date: string): Date {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return fromStockholmLocal(year, month, day);
}

/** The same Stockholm wall-clock moment `days` calendar days later or earlier, across daylight-saving changes. */
export function addStockholmDays(instant: Date, days: number): Date {
  const p = localParts(instant);
  const [year = 0, month = 1, day = 1] = addCalendarDays(
    `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`,
    days,
  )
    .split('-')
    .map(Number);
  return fromStockholmLocal(year, month, day, p.hour, p.minute, p.second, instant.getUTCMilliseconds());
}
