/**
 * Moments a caller reports — a need noticed, a discharge event, a consent given or withdrawn, a meeting
 * held — have happened: they are never in the future (DOMAIN.md, "Who may change what"). A few minutes of
 * clock skew between the caller's system and ours are tolerated.
 */
import { refuse } from './rules.ts';

/** How far ahead of our clock a reported moment may lie: the clocks of journal systems drift. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** Refuses when `at` lies further in the future than the tolerated clock skew. `pointer` names the field. */
export function assertHappened(at: string, now: Date, pointer: string): void {
  if (Date.parse(at) > now.getTime() + CLOCK_SKEW_MS) {
    refuse('moment-in-future', `${pointer} (${at}) lies in the future: report what has happened`, pointer);
  }
}

/** Refuses when `at` lies before `earliest` (both ISO timestamps). */
export function assertNotBefore(
  at: string,
  earliest: string,
  rule: Parameters<typeof refuse>[0],
  detail: string,
  pointer: string,
): void {
  if (Date.parse(at) < Date.parse(earliest)) refuse(rule, detail, pointer);
}
