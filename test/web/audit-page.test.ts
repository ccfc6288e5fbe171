/**
 * Loggen in the workspace: the plan's audit extract, for the organisation the policy gives it to (the keeper),
 * as a table in Swedish — and a page view of the workspace is in it as the API read it stands for.
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

describe('Loggen', () => {
  it('shows the keeper who read and changed the plan, the workspace’s own page views among them', async () => {
    const { jar } = await signIn(api, 'anna.andersson');
    const plan = await (await send(jar, `${api.url}/app/plans/${planId}`)).text();
    expect(plan).toContain(`href="/app/plans/${planId}/logg"`);
    const res = await send(jar, `${api.url}/app/plans/${planId}/logg`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Skapade planen');
    expect(page).toContain('Registrerade samtycke');
    // The page view above, by the signed-in user, as `getPlan`.
    expect(page).toMatch(
      /<td>anna\.andersson<\/td><td>SE2321000131-E000000000001[^<]*<\/td><td>Läste planen<\/td><td>Tillåtet<\/td>/,
    );
    const entries = (await api.auditEntries()).filter(
      (e) => e.planId === planId && e.userId === 'anna.andersson',
    );
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['getPlan', 'planAuditLog']));
  });

  it('is not offered to a participant the policy does not give it to, and refused if asked for', async () => {
    const { jar } = await signIn(api, 'bo.b');
    const plan = await (await send(jar, `${api.url}/app/plans/${planId}`)).text();
    expect(plan).toContain('SIP för Elsa Exempel');
    expect(plan).not.toContain(`href="/app/plans/${planId}/logg"`);
    const res = await send(jar, `${api.url}/app/plans/${planId}/logg`);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('Läste planen');
  });
});
