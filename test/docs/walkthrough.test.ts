/** The README is a map: its two commands as written, at most 200 lines, and every docs page reachable from it. */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readRepoFile } from './readme.ts';

const readme = readRepoFile('README.md');

/** The shell code blocks of a markdown text, each as its lines. */
const shellBlocks = (markdown: string) =>
  [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trim().split('\n'));

/** The relative link targets of a markdown text, without their fragments. */
const relativeLinks = (markdown: string) =>
  [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith('#'))
    .map((target) => target.split('#')[0] as string);

const docsPages = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));

describe('the README', () => {
  it('is a map of at most 200 lines', () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(200);
  });

  it('gives the two commands exactly, each a code block of its own', () => {
    const blocks = shellBlocks(readme);
    expect(blocks).toContainEqual(['npm ci && npm start']);
    expect(blocks).toContainEqual(['npm test']);
  });

  it('names scripts that package.json has', () => {
    const scripts = Object.keys(JSON.parse(readRepoFile('package.json')).scripts as Record<string, string>);
    const named = [...readme.matchAll(/npm run (?:-s )?([a-z:]+)/g)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(0);
    for (const script of named) expect(scripts).toContain(script);
  });

  it('links every docs page, and every link it has resolves to a file', () => {
    const links = relativeLinks(readme);
    for (const page of docsPages) expect(links).toContain(`docs/${page}`);
    for (const link of links) expect(existsSync(resolve(ROOT, link)), link).toBe(true);
  });
});

describe('the docs pages', () => {
  it.each(docsPages)('%s: every relative link resolves to a file', (page) => {
    const path = join(ROOT, 'docs', page);
    for (const link of relativeLinks(readRepoFile(`docs/${page}`))) {
      expect(existsSync(resolve(dirname(path), link)), `${page} → ${link}`).toBe(true);
    }
  });
});
