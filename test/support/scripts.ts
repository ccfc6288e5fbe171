/** How package.json runs a script, as arguments for `process.execPath`: tests start what `npm run` starts. */
import { readFileSync } from 'node:fs';

const scripts = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  .scripts as Record<string, string>;

/** `"node --import x a.ts"` → `['--import', 'x', 'a.ts']`, followed by `extra`. */
export function nodeArgs(script: string, ...extra: string[]): string[] {
  const [command, ...args] = (scripts[script] ?? '').split(' ');
  if (command !== 'node') throw new Error(`npm run ${script} does not run node: ${scripts[script]}`);
  return [...args, ...extra];
}
