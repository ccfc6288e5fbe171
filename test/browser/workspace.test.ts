/// <reference lib="dom" />
/**
 * The workspace in Chromium, as a professional uses it, against the local runtime: a link to a plan opens
 * the sign-in of the embedded provider, and after it the plan itself; Att göra lists what is due; the pages
 * pass axe-core (WCAG 2.1 AA) under their own content security policy, reflow at 320 px and work by keyboard;
 * signing out ends the session here and at the provider. A user of an organisation the consent does not name
 * sees nothing of the plan.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb-local.ts';
import { ROOT } from '../docs/readme.ts';
import { startTestApi } from '../support/api.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { planDriver } from '../support/process.ts';

const BROWSER_TIMEOUT = 120_000;
/** The docs' screenshots are made here, so that they show the pages as they are. */
const screenshot = (name: string) => {
  const folder = join(ROOT, 'docs', 'screenshots');
  mkdirSync(folder, { recursive: true });
  return join(folder, name);
};

let api: Awaited<ReturnType<typeof startTestApi>>;
let browser: Browser;
let planId: string;
beforeAll(async () => {
  api = await startTestApi();
  planId = await planDriver(api).planAt('consented');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

/** A fresh browser profile; what Chromium refused under a page's policy, and the page's errors. */
async function freshContext(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused/i.test(message.text())) refused.push(message.text());
  });
  page.on('pageerror', (error) => refused.push(error.message));
  return { context, page, refused };
}

/** On the embedded provider's page: sign in as a person of the demo directory. */
async function signInAs(page: Page, name: string) {
  await page.getByRole('button', { name: `Logga in som ${name}` }).click();
}

const sessionItems = async () => {
  const { Items = [] } = await DynamoDBDocumentClient.from(
    localClient(process.env.DYNAMODB_ENDPOINT ?? ''),
  ).send(new ScanCommand({ TableName: process.env.TABLE_NAME ?? '' }));
  return Items.filter((item) => String(item.pk).startsWith('SESSION#'));
};

describe('the workspace', { timeout: BROWSER_TIMEOUT }, () => {
  let context: BrowserContext;
  let page: Page;
  let refused: string[];

  it('a link to a plan opens the sign-in, then the plan: only a path of the workspace is followed', async () => {
    ({ context, page, refused } = await freshContext());
    await page.goto(`${api.url}/app/plans/${planId}`);
    expect(new URL(page.url()).origin).toBe(api.issuer);
    await signInAs(page, 'Anna Andersson');
    await page.waitForURL(`${api.url}/app/plans/${planId}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('SIP för Elsa Exempel');
    expect(await page.locator('header').textContent()).toContain('SE2321000131-E000000000001');
    expect(refused).toEqual([]);
  });

  it('the session cookie is HttpOnly and SameSite=Lax, and the table holds only its hash', async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'sip-session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie?.value).toMatch(/^[\w-]{43}$/);
    const items = await sessionItems();
    const hash = createHash('sha256')
      .update(cookie?.value ?? '')
      .digest('hex');
    expect(items.map((item) => item.pk)).toContain(`SESSION#${hash}`);
    expect(JSON.stringify(items)).not.toContain(cookie?.value);
    // No script on the page can read it: HttpOnly, and no token in the page.
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('the plan page: axe finds no violation, and it reflows at 320 px', async () => {
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshot('plan.png'), fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('Att göra lists what is due for the organisation, each line a link to its plan', async () => {
    await page.goto(`${api.url}/app/`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Att göra');
    const line = page.locator(`a[href="/app/plans/${planId}"]`).first();
    expect(await line.count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshot('att-gora.png'), fullPage: true });
    // By keyboard: the skip link first, then on to the plan.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Till innehållet');
    await line.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${api.url}/app/plans/${planId}`);
    expect(refused).toEqual([]);
  });

  it('Hitta plan from the header: a wrong number refused beside its field, a right one finds the plan', async () => {
    await page.getByRole('link', { name: 'Hitta plan' }).click();
    await page.getByLabel('Personnummer eller samordningsnummer').fill('19420315-2387');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.locator('.ds-error-summary').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Personnummer eller samordningsnummer').fill('19420315-2386');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.getByRole('heading', { name: '1 plan' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // Posted, not in the address: the number is in no history and no log.
    expect(page.url()).toBe(`${api.url}/app/hitta`);
    await page.getByRole('link', { name: 'Elsa Exempel' }).click();
    await page.waitForURL(`${api.url}/app/plans/${planId}`);
  });

  it('Loggen opens from the plan page, a table axe finds no fault with', async () => {
    await page.getByRole('link', { name: /^Loggen/ }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Loggen för Elsa Exempels plan');
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.goBack();
  });

  it('the printout opens from the plan page', async () => {
    await page.getByRole('link', { name: 'Utskrift av planen' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Elsas plan');
  });

  it('Registrera samtycke by keyboard and mouse: errors summarised and beside their fields, then saved', async () => {
    await page.goto(`${api.url}/app/plans/${planId}`);
    await page.getByRole('link', { name: 'Registrera samtycke' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Registrera samtycke');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Spara samtycket' }).click();
    await page.locator('.ds-error-summary').waitFor();
    expect(await page.title()).toMatch(/^Fel: /);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshot('samtycke-fel.png'), fullPage: true });
    // The summary's link takes the user to the field.
    await page.locator('.ds-error-summary a[href="#recipients"]').click();
    expect(new URL(page.url()).hash).toBe('#recipients');
    await page.getByLabel('Att upprätta planen').check();
    await page.getByLabel('Muntligt').check();
    for (const name of ['Vårdcentralen Centrum', 'Hemtjänsten Centrum', 'Geriatriska teamet'])
      await page.getByLabel(name).check();
    await page.getByLabel('Dokumentation').fill('Muntligt samtycke vid besök, journalfört.');
    await page.getByLabel('Dokumentation').press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${api.url}/app/plans/${planId}?sparat=samtycke`);
    expect(await page.locator('[role=status]').textContent()).toBe('Samtycket är registrerat.');
    expect(await axeViolations(page)).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('Avsluta planen: asked first, then closed; a closed plan offers nothing more', async () => {
    await page.getByRole('link', { name: 'Avsluta planen' }).click();
    await page.getByLabel('Behoven är tillgodosedda').check();
    await page.getByLabel('Vem har fått veta?').fill('Elsa');
    await page
      .getByLabel('Vart kan den enskilde vända sig om behovet kommer tillbaka?')
      .fill('Vårdcentralen.');
    await page.getByRole('button', { name: 'Avsluta planen' }).click();
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe('Vill du avsluta planen för Elsa Exempel?');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ja, avsluta planen' }).click();
    await page.waitForURL(`${api.url}/app/plans/${planId}?sparat=avsluta`);
    expect(await page.locator('[role=status]').textContent()).toContain('Planen är avslutad.');
    expect(await page.getByRole('link', { name: 'Registrera samtycke' }).count()).toBe(0);
    expect(refused).toEqual([]);
  });

  it('signing out ends the session here and at the provider', async () => {
    await page.goto(`${api.url}/app/`);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    // The provider asks before it signs out of it too.
    const confirm = page.getByRole('button', { name: /yes|sign.?out|logga ut/i });
    if (await confirm.count()) await confirm.first().click();
    await page.waitForURL(`${api.url}/app/signed-out`);
    expect(await axeViolations(page)).toEqual([]);
    expect(await sessionItems()).toEqual([]);
    await page.goto(`${api.url}/app/`);
    expect(new URL(page.url()).origin).toBe(api.issuer);
    await context.close();
  });

  it('a user of an organisation the consent does not name sees nothing of the plan', async () => {
    const other = await freshContext();
    await other.page.goto(`${api.url}/app/plans/${planId}`);
    await signInAs(other.page, 'Sofia');
    await other.page.waitForURL(`${api.url}/app/plans/${planId}`);
    expect(await other.page.locator('h1').textContent()).toBe('Planen finns inte');
    expect(await other.page.content()).not.toContain('Elsa');
    await other.page.goto(`${api.url}/app/`);
    expect(await other.page.content()).not.toContain('Elsa');
    expect(await axeViolations(other.page)).toEqual([]);
    await other.context.close();
  });
});
