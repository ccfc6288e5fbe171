/**
 * The local runtime's clock: the real one, moved by a development-only offset so that a person (or the
 * README's walk-through) can step through the days of a plan — a kallelse today, the meeting "five days
 * later". The offset lives in the data folder (`clock-offset`, whole or fractional days) and is read at
 * each use, so `npm run -s clock -- <days>` moves a running service. Nothing in AWS reads it: the functions
 * take API Gateway's and EventBridge's time.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const DAY_MS = 86_400_000;

/** The offset in days in `file`; 0 when there is none. */
export function readClockOffset(file: string): number {
  if (!existsSync(file)) return 0;
  const days = Number(readFileSync(file, 'utf8').trim());
  return Number.isFinite(days) ? days : 0;
}

export function writeClockOffset(file: string, days: number): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${days}\n`);
}

/** Now, as the local runtime sees it. */
export const developmentClock = (file: string) => () => new Date(Date.now() + readClockOffset(file) * DAY_MS);
