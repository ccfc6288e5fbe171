/**
 * The workspace's one stylesheet: Designsystemet's parts the pages use, served by the service under a
 * content-hashed name that a browser keeps for a year, within 40 kB compressed; and every page within 30 kB.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESIGN_SYSTEM_PARTS, stylesheet } from '../../functions/web/stylesheet.ts';
import { startTestApi } from '../support/api.ts';
import { planDriver } from '../support/process.ts';
import { send, signIn } from '../support/workspace.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let planId: string;
beforeAll(async () => {
  api = await startTestApi();
  planId = await planDriver(api).planAt('established');
});
afterAll(() => api?.close());

describe('the stylesheet', () => {
  it('is linked from every page under a name carrying its content hash, and kept a year', async () => {
    const { jar, page } = await signIn(api, 'anna.andersson');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(href).toMatch(/^\/app\/assets\/sip-[\w-]{16}\.css$/);
    const css = await send(jar, `${api.url}${href}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await css.text();
    expect(text).toBe(stylesheet().css);
    expect((await send(jar, `${api.url}/app/assets/sip-0000000000000000.css`)).status).toBe(404);
  });

  it('holds the design system’s theme and only the components the pages use, within 40 kB compressed', () => {
    const { css } = stylesheet();
    expect(gzipSync(css).length).toBeLessThanOrEqual(40 * 1024);
    for (const used of [
      'ds-button',
      'ds-table',
      'ds-tag',
      'ds-link',
      'ds-skip-link',
      '--ds-color-neutral-text-default',
    ])
      expect(css).toContain(used);
    // Not served: what no page uses (the full build is about 190 kB with its theme).
    for (const unused of ['ds-combobox', 'ds-suggestion', 'ds-dialog', 'ds-tabs'])
      expect(css).not.toContain(unused);
    expect(DESIGN_SYSTEM_PARTS[0]).toBe('theme.css');
  });
});

describe('every page', () => {
  it('is within 30 kB', async () => {
    const { jar } = await signIn(api, 'anna.andersson');
    for (const path of [
      '/app/',
      `/app/plans/${planId}`,
      `/app/plans/${planId}/utskrift`,
      '/app/tillganglighet',
      '/app/signed-out',
    ]) {
      const res = await send(jar, `${api.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(Buffer.byteLength(await res.text()), path).toBeLessThanOrEqual(30 * 1024);
    }
  });
});
