/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The pages people read, in Debian's Chromium: /docs, the problem pages and the plan document. axe-core
 * finds no violation (WCAG 2.1 AA and its best practices), /docs works by keyboard alone, the document
 * reflows on a narrow screen, and it prints on A4 with proper margins and nothing cut. Under the pages' own
 * content security policies, nothing they need is refused: their styles apply and /docs's script runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.ts';
import { launchChromium } from '../support/browser.ts';
import { elsa, HEMTJANST, minimal } from '../support/scenarios.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Long words that a print layout must wrap rather than cut: a web address, a compound name. */
const LONG_ADDRESS =
  'https://www.vardguiden.example.se/behandling-och-undersokning/hemtjanst-och-hemsjukvard/insatser-efter-utskrivning';
const LONG_NAME = 'Hemtjänstgruppen-Centrum-Norra-Distriktet-Kvällspersonalen';

/** A browser on a shared two-core machine: axe alone takes seconds a page. */
const BROWSER_TIMEOUT = 120_000;

let api: Awaited<ReturnType<typeof startTestApi>>;
let browser: Browser;
let token: string;
let fullPlan: string;
let emptyPlan: string;
beforeAll(async () => {
  api = await startTestApi();
  token = await api.token();
  const full = structuredClone(elsa);
  full.content.interventions = [
    ...full.content.interventions,
    {
      description: `Stöd enligt ${LONG_ADDRESS}`,
      responsibleOrganisationId: HEMTJANST,
      performer: LONG_NAME,
      startDate: '2026-11-20',
      frequency: 'varje vardag',
      place: 'hemmet',
      goal: 'Klara morgonen själv',
    },
  ];
  fullPlan = (await api.call('POST', '/plans', { body: full })).json.planId;
  emptyPlan = (await api.call('POST', '/plans', { body: minimal })).json.planId;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

/**
 * A page whose requests carry the token; axe is injected past the pages' content security policy, unless
 * the test is of the policy itself (`ownPolicy`).
 */
async function open(
  path: string,
  viewport = { width: 1280, height: 900 },
  ownPolicy = false,
  bearer = token,
): Promise<[Page, BrowserContext]> {
  const context = await browser.newContext({
    bypassCSP: !ownPolicy,
    viewport,
    extraHTTPHeaders: { authorization: `Bearer ${bearer}` },
  });
  const page = await context.newPage();
  const response = await page.goto(`${api.url}${path}`);
  expect(response?.status()).toBe(200);
  return [page, context];
}

async function violations(page: Page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(() =>
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page as a global
    (window as any).axe.run(document, { resultTypes: ['violations'] }),
  );
  return (result.violations as { id: string; nodes: { target: string[] }[] }[]).map((v) => ({
    rule: v.id,
    where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
}

describe('axe-core finds no violation', { timeout: BROWSER_TIMEOUT }, () => {
  it('on /docs with every operation and schema open, and after a response is shown', async () => {
    const [page, context] = await open('/docs');
    await page.waitForSelector('#ops details.op');
    await page.evaluate(() => {
      for (const details of document.querySelectorAll('details')) details.open = true;
    });
    expect(await violations(page)).toEqual([]);
    const send = page.locator('details.op', { hasText: '/openapi.json' }).getByRole('button');
    await send.click();
    await page.locator('details.op', { hasText: '/openapi.json' }).getByText('200 OK').waitFor();
    expect(await violations(page)).toEqual([]);
    await context.close();
  });

  it.each([
    ['an established plan with full content', () => fullPlan],
    ['a plan just initiated, with empty sections', () => emptyPlan],
  ])('on the document of %s', async (_, plan) => {
    const [page, context] = await open(`/plans/${plan()}/document`);
    expect(await violations(page)).toEqual([]);
    await context.close();
  });

  it.each(['/problems', '/problems/consent-missing', '/problems/precondition-failed'])(
    'on %s',
    async (path) => {
      const [page, context] = await open(path);
      expect(await violations(page)).toEqual([]);
      await context.close();
    },
  );
});

describe('by keyboard alone', { timeout: BROWSER_TIMEOUT }, () => {
  it('/docs: a token typed in, an operation opened, its parameter filled and the request sent', async () => {
    const [page, context] = await open('/docs');
    await page.waitForSelector('#ops details.op');
    const focused = () =>
      page.evaluate(() => {
        const active = document.activeElement as HTMLElement | null;
        const op = active?.closest('details.op');
        return {
          tag: active?.tagName ?? '',
          id: active?.id ?? '',
          text: active?.textContent ?? '',
          method: op?.querySelector('.method')?.textContent ?? '',
          path: op?.querySelector('.path')?.textContent ?? '',
        };
      });
    const tabTo = async (wanted: (f: Awaited<ReturnType<typeof focused>>) => boolean) => {
      for (let i = 0; i < 300; i++) {
        await page.keyboard.press('Tab');
        if (wanted(await focused())) return;
      }
      throw new Error('never reached by Tab');
    };
    await tabTo((f) => f.id === 'token');
    await page.keyboard.type(token);
    await tabTo((f) => f.tag === 'SUMMARY' && f.method === 'GET' && f.path === '/plans/{planId}');
    await page.keyboard.press('Enter');
    await tabTo((f) => f.tag === 'INPUT' && f.path === '/plans/{planId}');
    await page.keyboard.type(fullPlan);
    await tabTo((f) => f.tag === 'BUTTON' && f.path === '/plans/{planId}');
    await page.keyboard.press('Enter');
    const status = page.locator('details.op[open] [role=status]').first();
    await status.getByText('200 OK').waitFor();
    expect(await status.textContent()).toContain(fullPlan);
    await context.close();
  });

  it('the document on a 320 px screen: no sideways scrolling of the page; the table scrolls, by keyboard', async () => {
    const [page, context] = await open(`/plans/${fullPlan}/document`, { width: 320, height: 640 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await page.keyboard.press('Tab');
    const region = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(region).toBe('Vem gör vad och när');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    // Scrolling by key may be smooth: it lands a moment after the key, on a loaded machine later still.
    await expect.poll(() => page.evaluate(() => document.activeElement?.scrollLeft ?? 0)).toBeGreaterThan(0);
    await context.close();
  });
});

describe('the document in print', { timeout: BROWSER_TIMEOUT }, () => {
  const MM = 96 / 25.4;

  it('is laid out for A4 with margins of 15–30 mm, and nothing is wider than the printable area', async () => {
    const [page, context] = await open(`/plans/${fullPlan}/document`);
    const pageRule = await page.evaluate(() => {
      const rule = [...document.styleSheets]
        .flatMap((sheet) => [...sheet.cssRules])
        .find((r): r is CSSPageRule => r instanceof CSSPageRule);
      if (!rule) return undefined;
      const { style } = rule;
      return {
        size: style.getPropertyValue('size'),
        margins: ['top', 'right', 'bottom', 'left'].map((side) => style.getPropertyValue(`margin-${side}`)),
      };
    });
    expect(pageRule, 'an @page rule').toBeDefined();
    expect(pageRule?.size.toLowerCase()).toMatch(/^a4( portrait)?$/);
    const margins = (pageRule?.margins ?? []).map((m) => {
      const value = /^([\d.]+)(mm|cm|in)$/.exec(m);
      expect(value, m).not.toBeNull();
      return Number(value?.[1]) * { mm: 1, cm: 10, in: 25.4 }[value?.[2] as 'mm' | 'cm' | 'in'];
    });
    for (const margin of margins) expect(margin).toBeGreaterThanOrEqual(15);
    for (const margin of margins) expect(margin).toBeLessThanOrEqual(30);
    const [, right = 0, , left = 0] = margins;

    // The printable width of A4 between these margins, in CSS pixels, laid out as Chromium prints.
    const width = Math.floor((210 - left - right) * MM);
    await page.setViewportSize({ width, height: 1100 });
    await page.emulateMedia({ media: 'print' });
    const overflowing = await page.evaluate((limit) => {
      const out: string[] = [];
      for (const element of document.body.querySelectorAll('*')) {
        const box = element.getBoundingClientRect();
        const clipped = element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1;
        if (box.right > limit + 1 || box.left < -1 || clipped)
          out.push(
            `${element.tagName}.${element.className}: ${Math.round(box.left)}–${Math.round(box.right)}`,
          );
      }
      return out;
    }, width);
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    // Every word of the long content is on the page, wrapped.
    const text = await page.evaluate(() => document.body.innerText.replace(/\s+/g, ''));
    expect(text).toContain(LONG_ADDRESS);
    expect(text).toContain(LONG_NAME);

    // Chromium's own print: the page size comes from @page, and it is A4 (595 × 842 pt).
    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf);
    expect(box, 'a MediaBox').not.toBeNull();
    expect(Number(box?.[1])).toBeCloseTo(595.28, -0.5);
    expect(Number(box?.[2])).toBeCloseTo(841.89, -0.5);
    await context.close();
  });
});

describe('under their own content security policy', { timeout: BROWSER_TIMEOUT }, () => {
  /** Opens `path` as served, policy and all; collects what Chromium refused and the page's errors. */
  async function served(path: string, bearer = token) {
    const [page, context] = await open(path, undefined, true, bearer);
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    page.on('pageerror', (error) => refused.push(error.message));
    // The listeners came after the first load: load again so that they see all of it.
    await page.reload();
    return { page, context, refused };
  }
  const fontOf = (page: Page, selector: string) =>
    page.evaluate((s) => getComputedStyle(document.querySelector(s) as Element).fontFamily, selector);

  it('/docs: its style applies, its script runs and calls the API, nothing is refused', async () => {
    const { page, context, refused } = await served('/docs');
    await page.waitForSelector('#ops details.op');
    expect(await fontOf(page, 'code')).not.toMatch(/Times/);
    const box = page.locator('details.op', { hasText: '/openapi.json' });
    await box.locator('summary').click();
    await box.getByRole('button').click();
    await box.getByText('200 OK').waitFor();
    expect(refused).toEqual([]);
    await context.close();
  });

  it('the document and a problem page: their styles apply, nothing is refused', async () => {
    for (const [path, selector, font] of [
      [`/plans/${fullPlan}/document`, 'body', /Georgia/],
      ['/problems/precondition-failed', 'body', /system-ui/],
    ] as const) {
      const { page, context, refused } = await served(path);
      expect(await fontOf(page, selector), path).toMatch(font);
      expect(refused, path).toEqual([]);
      await context.close();
    }
  });

  it('the HTML report: its style applies, its charts show, nothing is refused', async () => {
    const reader = await api.token({ scopes: ['sip.read', 'report.read'] });
    const { page, context, refused } = await served(
      '/reports/regional?from=2026-11-01&to=2026-11-30&format=html',
      reader,
    );
    expect(await fontOf(page, 'body')).toMatch(/system-ui/);
    expect(await page.locator('svg[role=img]').count()).toBeGreaterThan(0);
    expect(refused).toEqual([]);
    await context.close();
  });

  it('an injected inline script or style does not run: nothing but the hashes is allowed', async () => {
    const { page, context, refused } = await served(`/plans/${fullPlan}/document`);
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body{font-family:monospace}';
      document.head.append(style);
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.ran = "yes"';
      document.body.append(script);
    });
    expect(await fontOf(page, 'body')).toMatch(/Georgia/);
    expect(await page.evaluate(() => document.body.dataset.ran)).toBeUndefined();
    expect(refused.length).toBeGreaterThanOrEqual(2);
    await context.close();
  });
});
