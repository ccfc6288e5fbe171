/**
 * The forms of the process over the local runtime. Registrera samtycke runs the same command as
 * `POST /plans/{planId}/consents`; Avsluta planen the same as `POST /plans/{planId}/closure`, confirmed first. A refusal shows the form again with the rule's Swedish beside its field and
 * what was typed kept, and writes nothing; a form sent twice writes once; a form without its session's token
 * writes nothing; another user's change in between is shown as a collision, never overwritten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TEXTS } from '../../shared/html/problem-texts.ts';
import { startTestApi } from '../support/api.ts';
import { planDriver } from '../support/process.ts';
import { GERIATRIK, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';
import { type Jar, send, signIn } from '../support/workspace.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
let jar: Jar;
beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
  ({ jar } = await signIn(api, 'anna.andersson'));
});
afterAll(() => api?.close());

const hidden = (page: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';

/** Opens a form of a new plan (or of `existing`); returns the plan and the form's hidden fields. */
async function openForm(slug = 'samtycke', existing?: string) {
  const planId = existing ?? (await driver.create());
  const page = await (await send(jar, `${api.url}/app/plans/${planId}/${slug}`)).text();
  return {
    planId,
    hidden: {
      formToken: hidden(page, 'formToken'),
      idempotencyKey: hidden(page, 'idempotencyKey'),
      etag: hidden(page, 'etag').replaceAll('&quot;', '"'),
    },
  };
}

const post = (planId: string, fields: Record<string, string | string[]>, slug = 'samtycke') => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return send(jar, `${api.url}/app/plans/${planId}/${slug}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
};

const consentsOf = async (planId: string) =>
  (await api.call('GET', `/plans/${planId}`)).json.consents as unknown[];

const valid = {
  kind: 'informationSharing',
  form: 'oral',
  recipients: [VARDCENTRAL, HEMTJANST, GERIATRIK],
  categories: ['goals', 'interventions', 'situation', 'identity'],
  givenAt: '2026-11-08T15:00',
  documentation: 'Muntligt samtycke vid besök på avdelningen, journalfört.',
};

describe('Registrera samtycke', () => {
  it('is offered on the plan page to the convener, and opens with its hidden fields', async () => {
    const { planId, hidden: fields } = await openForm();
    const plan = await (await send(jar, `${api.url}/app/plans/${planId}`)).text();
    expect(plan).toContain(`href="/app/plans/${planId}/samtycke"`);
    expect(fields.formToken).not.toBe('');
    expect(fields.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(fields.etag).toMatch(/^"1\.[\w-]+"$/);
  });

  it('saves the consent and goes back to the plan, which says so; sent twice, it writes once', async () => {
    const { planId, hidden: fields } = await openForm();
    const first = await post(planId, { ...fields, ...valid });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/app/plans/${planId}?sparat=samtycke`);
    const again = await post(planId, { ...fields, ...valid });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`/app/plans/${planId}?sparat=samtycke`);
    expect(await consentsOf(planId)).toHaveLength(1);
    const consent = (await consentsOf(planId))[0] as Record<string, unknown>;
    expect(consent).toMatchObject({
      kind: 'informationSharing',
      form: 'oral',
      recipients: valid.recipients,
      givenAt: '2026-11-08T15:00:00.000+01:00',
    });
    const page = await (await send(jar, `${api.url}/app/plans/${planId}?sparat=samtycke`)).text();
    expect(page).toContain('Samtycket är registrerat.');
  });

  it('a refused form comes back with each error in Swedish, beside its field, what was typed kept; nothing written', async () => {
    const { planId, hidden: fields } = await openForm();
    const items = await api.itemCount();
    const empty = await post(planId, { ...fields, documentation: 'Det här skrev jag <b>själv</b>.' });
    expect(empty.status).toBe(400);
    const page = await empty.text();
    expect(page).toContain('Det här behöver rättas');
    for (const field of ['kind', 'form', 'recipients']) expect(page).toContain(`href="#${field}"`);
    expect(page).toContain('Välj minst en verksamhet som samtycket omfattar.');
    expect(page).toContain('Det här skrev jag &lt;b>själv&lt;/b>.');
    expect(page).toMatch(/<title>Fel: /);

    const undocumented = await post(planId, { ...fields, ...valid, documentation: '' });
    expect(undocumented.status).toBe(400);
    const text = await undocumented.text();
    expect(text).toContain(PROBLEM_TEXTS['consent-not-documented']);
    expect(text).toContain('id="documentation-fel"');
    expect(text).toContain('value="2026-11-08T15:00"');
    expect(await api.itemCount()).toBe(items);
    expect(await consentsOf(planId)).toHaveLength(0);
  });

  it('without the session’s form token, nothing is written', async () => {
    const { planId, hidden: fields } = await openForm();
    for (const formToken of ['', 'x', `${fields.formToken}x`]) {
      const res = await post(planId, { ...fields, ...valid, formToken });
      expect(res.status).toBe(403);
    }
    expect(await consentsOf(planId)).toHaveLength(0);
  });

  it('another user’s change in between is a collision: shown with what was typed, nothing overwritten', async () => {
    const { planId, hidden: fields } = await openForm();
    await driver.patch(planId, { longTermGoal: 'Ändrat av någon annan.' });
    const res = await post(planId, { ...fields, ...valid, idempotencyKey: crypto.randomUUID() });
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toContain('Planen har ändrats sedan du öppnade formuläret');
    expect(page).toContain(valid.documentation);
    expect(hidden(page, 'etag').replaceAll('&quot;', '"')).toMatch(/^"2\./);
    expect(await consentsOf(planId)).toHaveLength(0);
    // Sent again from the form as shown, it is saved.
    const retry = await post(planId, {
      ...valid,
      formToken: hidden(page, 'formToken'),
      idempotencyKey: hidden(page, 'idempotencyKey'),
      etag: hidden(page, 'etag').replaceAll('&quot;', '"'),
    });
    expect(retry.status).toBe(303);
    expect(await consentsOf(planId)).toHaveLength(1);
  });
});

describe('Avsluta planen', () => {
  const closing = {
    reason: 'needsMet',
    informed: 'Elsa\nDottern Maria',
    whereToTurn: 'Vårdcentralen Centrum, 031-123456.',
  };
  const statusOf = async (planId: string) => (await api.call('GET', `/plans/${planId}`)).json;

  it('asks before it closes: the confirmation carries the fields on, and nothing is closed until it is answered', async () => {
    const { planId, hidden: fields } = await openForm('avsluta');
    const asked = await post(planId, { ...fields, ...closing }, 'avsluta');
    expect(asked.status).toBe(200);
    const page = await asked.text();
    expect(page).toContain('Vill du avsluta planen för Elsa Exempel?');
    expect(page).toContain('name="confirmed" value="yes"');
    expect(page).toContain('value="Vårdcentralen Centrum, 031-123456."');
    expect((await statusOf(planId)).status).toBe('initiated');

    const confirmed = await post(planId, { ...fields, ...closing, confirmed: 'yes' }, 'avsluta');
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/app/plans/${planId}?sparat=avsluta`);
    const plan = await statusOf(planId);
    expect(plan.status).toBe('closed');
    expect(plan.closure).toMatchObject({ reason: 'needsMet', informed: ['Elsa', 'Dottern Maria'] });
    // A closed plan offers no action any more.
    const page2 = await (await send(jar, `${api.url}/app/plans/${planId}?sparat=avsluta`)).text();
    expect(page2).toContain('Planen är avslutad.');
    expect(page2).not.toContain(`href="/app/plans/${planId}/avsluta"`);
    expect(page2).not.toContain(`href="/app/plans/${planId}/samtycke"`);
  });

  it('without where to turn, it is refused beside that field, and the plan stays open', async () => {
    const { planId, hidden: fields } = await openForm('avsluta');
    const res = await post(planId, { ...fields, ...closing, whereToTurn: '', confirmed: 'yes' }, 'avsluta');
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('href="#whereToTurn"');
    expect(page).toContain('id="whereToTurn-fel"');
    expect(page).toContain('Elsa\nDottern Maria');
    expect((await statusOf(planId)).status).toBe('initiated');
  });

  it('is offered only to an organisation that may close the plan', async () => {
    const planId = await driver.planAt('consented');
    const keeper = await (await send(jar, `${api.url}/app/plans/${planId}`)).text();
    expect(keeper).toContain(`href="/app/plans/${planId}/avsluta"`);
    const other = await signIn(api, 'bo.b');
    const participant = await (await send(other.jar, `${api.url}/app/plans/${planId}`)).text();
    expect(participant).toContain('SIP för Elsa Exempel');
    expect(participant).not.toContain(`href="/app/plans/${planId}/avsluta"`);
  });
});
