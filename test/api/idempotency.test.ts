/**
 * Safe retries (the IETF `Idempotency-Key` draft): a retry with the same key and body gets the first answer
 * and writes nothing; another body under the same key is 422; keys are the caller's own and last 24 hours.
 * The cases follow Powertools' idempotency tests: sequential, concurrent, in flight, expired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, OTHER_ORG, startTestApi, TEST_NOW } from '../support/api.ts';
import { invitation, planDriver } from '../support/process.ts';
import { elsa } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
});
afterAll(() => api?.close());

let keys = 0;
const newKey = () => `"retry-${Date.now()}-${keys++}"`;
const create = (key: string, body: object = elsa, as?: { organisationId: string; userId?: string }) =>
  api.call('POST', '/plans', { body, headers: { 'idempotency-key': key }, ...(as && { as }) });
const planCount = async () => (await api.call('GET', '/plans?limit=100')).json.items.length as number;

describe('POST /plans with an Idempotency-Key', () => {
  it('answers a retry with the first answer — status, body, ETag, Location — and creates one plan', async () => {
    const key = newKey();
    const before = await planCount();
    const first = await create(key);
    expect(first.status, first.text).toBe(201);
    const itemsAfterFirst = await api.itemCount();
    const retry = await create(key);
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await api.itemCount()).toBe(itemsAfterFirst);
    expect(await planCount()).toBe(before + 1);
  });

  it('refuses the same key with another body with 422, writing nothing', async () => {
    const key = newKey();
    expect((await create(key)).status).toBe(201);
    const items = await api.itemCount();
    const other = await create(key, { ...elsa, longTermGoal: 'Ett annat mål' });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(other.json).toMatchObject({ type: '/problems/idempotency-key-reused', status: 422 });
    expect(await api.itemCount()).toBe(items);
  });

  it('keeps each caller’s keys its own: another organisation or user with the same key gets its own answer', async () => {
    const key = newKey();
    const mine = await create(key);
    const otherUser = await create(key, elsa, { organisationId: ORG, userId: 'someone-else' });
    const theirBody = {
      ...elsa,
      initiation: {
        ...elsa.initiation,
        noticedBy: { ...elsa.initiation.noticedBy, organisationId: OTHER_ORG },
      },
      convener: { ...elsa.convener, organisationId: OTHER_ORG },
      organisations: elsa.organisations.map((o, i) => (i === 0 ? { ...o, organisationId: OTHER_ORG } : o)),
      content: undefined,
    };
    const theirs = await create(key, theirBody, { organisationId: OTHER_ORG });
    expect([mine.status, otherUser.status, theirs.status]).toEqual([201, 201, 201]);
    const ids = new Set([mine.json.planId, otherUser.json.planId, theirs.json.planId]);
    expect(ids.size).toBe(3);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('creates exactly one plan when the same request is in flight several times at once', async () => {
    const key = newKey();
    const before = await planCount();
    const answers = await Promise.all(Array.from({ length: 6 }, () => create(key)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.json.planId)).size).toBe(1);
    expect(await planCount()).toBe(before + 1);
  });

  it('forgets a key after 24 hours: the same key then names a new request', async () => {
    const key = newKey();
    const first = await create(key);
    api.at(new Date(TEST_NOW.getTime() + 24 * 3600_000 + 60_000));
    const later = await create(key).finally(() => api.at(undefined));
    expect(later.status).toBe(201);
    expect(later.json.planId).not.toBe(first.json.planId);
  });

  it('refuses a malformed key with 400 naming the header', async () => {
    const res = await create('"ä not ascii"');
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([expect.objectContaining({ parameter: 'Idempotency-Key' })]);
  });
});

describe('a command with an Idempotency-Key', () => {
  it('answers a retry with the stale If-Match of its first try with the first answer, not 412, and writes once', async () => {
    const planId = await driver.planAt('consented');
    const plan = (await api.call('GET', `/plans/${planId}`)).json;
    const key = newKey();
    const send = () =>
      api.call('POST', `/plans/${planId}/invitations`, {
        body: invitation(),
        headers: { 'if-match': `"${plan.version}"`, 'idempotency-key': key },
      });
    const first = await send();
    expect(first.status, first.text).toBe(200);
    const retry = await send();
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('etag')).toMatch(new RegExp(`^"${plan.version + 1}\\.[\\w-]+"$`));
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    const revisions = (await api.call('GET', `/plans/${planId}/revisions`)).json.items;
    expect(revisions.filter((r: { action: string }) => r.action === 'sendInvitation')).toHaveLength(1);
    // Without the key, the same retry cannot tell: 412.
    const unkeyed = await api.call('POST', `/plans/${planId}/invitations`, {
      body: invitation(),
      headers: { 'if-match': `"${plan.version}"` },
    });
    expect(unkeyed.status).toBe(412);
  });
});
