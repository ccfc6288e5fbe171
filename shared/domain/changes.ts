/** Which fields differ between two versions of a document, as JSON Pointers. */
import { childPointer } from './json-pointer.ts';

const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] =>
  typeof value === 'object' && value !== null;

/**
 * The JSON Pointers (RFC 6901) of every leaf added, removed or changed from `before` to `after`.
 * A revision records these paths, never the values, so the history holds no copy of personal data.
 */
export function changedPaths(before: unknown, after: unknown, pointer = ''): string[] {
  if (Object.is(before, after)) return [];
  if (!isContainer(before) || !isContainer(after) || Array.isArray(before) !== Array.isArray(after)) {
    return [pointer || '/'];
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const paths: string[] = [];
  for (const key of keys) {
    const b = (before as Record<string, unknown>)[key];
    const a = (after as Record<string, unknown>)[key];
    if (b === undefined && a === undefined) continue;
    paths.push(...changedPaths(b, a, childPointer(pointer, key)));
  }
  return paths;
}
