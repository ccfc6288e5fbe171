/**
 * Hitta plan in the workspace: the plans of one individual by personal identity number, posted (so the number
 * is in no address, history or log), found only where the consent gives the reader the identity — as the API's
 * lookup, which it shares — and the number in no audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.ts';
import { planDriver } from '../support/process.ts';
import { send, signIn } from '../support/workspace.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let planId: string;
beforeAll(async () => {
  api = await startTestApi();
  planId = await planDriver(api).planAt('consented');
});
afterAll(() => api?.close());

const search = async (jar: Parameters<typeof send>[0], personnummer: string, formToken?: string) => {
  const page = await (await send(jar, `${api.url}/app/hitta`)).text();
  const token = formToken ?? /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return send(jar, `${api.url}/app/hitta`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ formToken: token, personnummer }).toString(),
  });
};

describe('Hitta plan', () => {
  it('finds the individual’s plan for a reader the consent gives the identity, in either way of writing the number', async () => {
    const { jar } = await signIn(api, 'anna.andersson');
    for (const number of ['19420315-2386', '194203152386']) {
      const res = await search(jar, number);
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain(`href="/app/plans/${planId}"`);
      expect(page).toContain('Elsa Exempel');
    }
  });

  it('finds nothing for an organisation the consent does not name', async () => {
    const { jar } = await signIn(api, 'sofia.skolkurator');
    const page = await (await search(jar, '19420315-2386')).text();
    expect(page).toContain('Ingen plan hittades');
    expect(page).not.toContain(`/app/plans/${planId}`);
  });

  it('a number that is not one is refused beside its field; without the form token nothing is searched', async () => {
    const { jar } = await signIn(api, 'anna.andersson');
    const bad = await search(jar, '19420315-2387');
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('href="#personnummer"');
    expect(page).toContain('id="personnummer-fel"');
    const forged = await search(jar, '19420315-2386', 'x');
    expect(forged.status).toBe(403);
    expect(await forged.text()).not.toContain(`/app/plans/${planId}`);
  });

  it('leaves an audit entry naming the individual by reference, never by number', async () => {
    const entries = (await api.auditEntries()).filter(
      (e) => e.action === 'listPlans' && e.userId === 'anna.andersson',
    );
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.some((e) => /^[\w-]{43}$/.test(e.individualRef ?? ''))).toBe(true);
    expect(JSON.stringify(await api.auditEntries())).not.toMatch(/194203152386|19420315-2386/);
  });
});
