/**
 * `npm run -s clock -- <days>`: moves the local runtime's clock to `<days>` after the real today (0 puts it
 * back; fractions are hours). Without an argument, prints the offset and the runtime's now. Development only.
 */
import { readClockOffset, writeClockOffset } from './clock.ts';
import { localSettings } from './settings.ts';

const file = localSettings().clockOffsetFile;
const [argument] = process.argv.slice(2);
if (argument !== undefined) {
  const days = Number(argument);
  if (!Number.isFinite(days)) {
    console.error('usage: npm run -s clock -- <days after today, e.g. 5 or 0.5 or 0>');
    process.exit(2);
  }
  writeClockOffset(file, days);
}
const offset = readClockOffset(file);
console.log(
  `${offset} days: the local runtime's now is ${new Date(Date.now() + offset * 86_400_000).toISOString()}`,
);
