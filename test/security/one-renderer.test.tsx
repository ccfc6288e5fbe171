/**
 * One way to write HTML: every page of the service is a Preact component rendered by `shared/html/render.ts`,
 * which escapes what it is given. No source file builds a page from a template string or escapes by hand, and
 * the renderer's two ways past escaping (`dangerouslySetInnerHTML`) are only in `shared/html/parts.tsx`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemPage } from '../../functions/docs/problems.tsx';
import { renderPage } from '../../shared/html/render.ts';
import { ROOT } from '../docs/readme.ts';

const sources = (folder: string): string[] =>
  readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
const CODE = ['functions', 'shared', 'infra'].flatMap(sources);

describe('one renderer', () => {
  it.each([
    ['a doctype in a string', /<!doctype/i],
    ['a hand-written escape', /replace(All)?\([^;]*&(amp|lt|gt|quot|#)/],
    ['a function named escapeHtml', /escapeHtml|escapeAttribute/],
  ])('no source file holds %s', (_, pattern) => {
    const found = CODE.filter(
      (file) =>
        file !== join('shared', 'html', 'render.ts') && pattern.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(found).toEqual([]);
  });

  it('sets escaping aside only in shared/html/parts.tsx, for the service’s own CSS and generated SVG', () => {
    const found = CODE.filter((file) =>
      readFileSync(join(ROOT, file), 'utf8').includes('dangerouslySetInnerHTML'),
    );
    expect(found.map((file) => relative('.', file))).toEqual(['shared/html/parts.tsx']);
  });

  it('escapes what it is given: text and attributes come back as text', () => {
    const hostile = `<script>alert(1)</script>" onload="x' &amp;`;
    const page = renderPage(
      <html lang="sv">
        <body title={hostile}>{hostile}</body>
      </html>,
    );
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('" onload="');
    expect(page).toContain('&lt;script>alert(1)&lt;/script>');
    expect(page).toContain('&amp;amp;');
  });

  it('writes a page whole: the doctype, then the document with its language', () => {
    expect(problemPage('precondition-failed')).toMatch(/^<!doctype html>\n<html lang="en">/);
  });
});
