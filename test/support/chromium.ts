/**
 * Where the browser tests find a Chromium: `CHROMIUM_PATH` when it is set, otherwise the first of the usual
 * places (Debian's package first). Never a browser a test tool downloads. When there is none, the test run
 * stops at once with one line that says what to install — never a silent skip.
 */
import { accessSync, constants } from 'node:fs';

/** Debian/Ubuntu's packages, Google's, a snap, and macOS's applications. */
export const USUAL_PLACES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export const INSTALL_HINT =
  'no Chromium found for the browser tests: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable';

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function findChromium(
  env: Record<string, string | undefined> = process.env,
  places: readonly string[] = USUAL_PLACES,
): string {
  const named = env.CHROMIUM_PATH?.trim();
  if (named) {
    if (executable(named)) return named;
    throw oneLine(`CHROMIUM_PATH is ${named}, which is not an executable file: ${INSTALL_HINT}`);
  }
  const found = places.find(executable);
  if (found) return found;
  throw oneLine(INSTALL_HINT);
}

/** An error that prints as its message alone: the stack of a missing browser says nothing more. */
function oneLine(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}
