/** Reading the README's parts for the documentation tests: sections, tables and links, from its text. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export const readRepoFile = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');

/** The text of the README's `## <title>` section, up to the next `## ` heading. */
export function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section "## ${title}"`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Each markdown table of a text, as its body rows (header and separator left out), each row its cells. */
export function tables(markdown: string): string[][][] {
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      current ??= [];
      current.push(line);
    } else if (current) {
      blocks.push(current);
      current = undefined;
    }
  }
  if (current) blocks.push(current);
  return blocks.map((rows) => rows.slice(2).map((row) => row.split(/(?<!\\)\|/).slice(1, -1)));
}

/** The environment variable names written in backticks in a table's first column. */
export const variablesOf = (table: string[][]) =>
  table.flatMap((cells) => [...(cells[0] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] as string));

/** The environment variable names a source file reads as `env.NAME`. */
export const variablesReadBy = (path: string) =>
  [...readRepoFile(path).matchAll(/env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] as string);

export const sorted = (names: string[]) => [...new Set(names)].sort();
