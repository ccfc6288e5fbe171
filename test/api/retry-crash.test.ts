/**
 * A journal system that retries every write after a cut, at random points: the API's connection to
 * DynamoDB is cut before a write's transaction reaches it or after it was applied (a proxy between the API
 * and DynamoDB Local drops the request or the answer), and the client loses the API's answer. Retrying with
 * the same Idempotency-Key, the client must end with exactly one plan and one revision per intended change.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.ts';
import { establishment, establishmentConsent, invitation, sharingConsent } from '../support/process.ts';
import { elsa } from '../support/scenarios.ts';

/** A deterministic random source, so that a failing run can be repeated. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
const chance = random(20261130);

const cuts = { beforeTransaction: 0, afterTransaction: 0, answerLost: 0 };

/** Forwards to DynamoDB Local; cuts a third of the transactions, half before and half after they apply. */
function faultyProxy(target: string): Promise<Server> {
  const { hostname, port } = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const transaction = req.headers['x-amz-target'] === 'DynamoDB_20120810.TransactWriteItems';
      const roll = transaction ? chance() : 1;
      if (roll < 1 / 6) {
        cuts.beforeTransaction++;
        req.socket.destroy();
        return;
      }
      const upstream = httpRequest(
        { hostname, port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk) => body.push(chunk));
          answer.on('end', () => {
            if (roll < 1 / 3) {
              cuts.afterTransaction++;
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      upstream.end(Buffer.concat(chunks));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let api: Awaited<ReturnType<typeof startTestApi>>;
let proxy: Server;
beforeAll(async () => {
  proxy = await faultyProxy(process.env.DYNAMODB_ENDPOINT ?? '');
  const { port } = proxy.address() as AddressInfo;
  api = await startTestApi({ dynamoDbEndpoint: `http://127.0.0.1:${port}` });
});
afterAll(async () => {
  await api?.close();
  proxy?.close();
});

/** Sends until an answer arrives that the client keeps: a 2xx. Loses a quarter of the answers itself. */
async function untilAnswered(send: () => ReturnType<typeof api.call>) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const res = await send();
    if (res.status >= 200 && res.status < 300) {
      if (chance() < 0.25) {
        cuts.answerLost++;
        continue;
      }
      return res;
    }
    // A cut shows as a 500 (the API lost DynamoDB); anything else is a real refusal and a failed test.
    expect(res.status, res.text).toBe(500);
  }
  throw new Error('no answer after 50 tries');
}

describe('a client that retries every write after a cut', () => {
  it('ends with one plan and one revision per intended change, over 12 plans', async () => {
    const plansBefore = (await api.call('GET', '/plans?limit=100')).json.items.length;
    const steps = [
      ['/consents', sharingConsent()],
      ['/consents', establishmentConsent()],
      ['/invitations', invitation()],
      ['/establishment', establishment()],
    ] as const;
    const created: string[] = [];
    for (let n = 0; n < 12; n++) {
      const createKey = `"create-${n}-${Date.now()}"`;
      const first = await untilAnswered(() =>
        api.call('POST', '/plans', { body: elsa, headers: { 'idempotency-key': createKey } }),
      );
      const planId = first.json.planId as string;
      created.push(planId);
      let etag = first.headers.get('etag') ?? '';
      for (const [index, [path, body]] of steps.entries()) {
        const key = `"${planId}-${index}"`;
        const heldAt = (body as { meeting?: { heldAt: string } }).meeting?.heldAt;
        if (heldAt) api.at(new Date(Date.parse(heldAt) + 3_600_000));
        const res = await untilAnswered(() =>
          api.call('POST', `/plans/${planId}${path}`, {
            body,
            headers: { 'if-match': etag, 'idempotency-key': key },
          }),
        ).finally(() => api.at(undefined));
        etag = res.headers.get('etag') ?? '';
      }
    }
    const plans = (await api.call('GET', '/plans?limit=100')).json.items;
    expect(plans.length - plansBefore).toBe(12);
    for (const planId of created) {
      const revisions = (await api.call('GET', `/plans/${planId}/revisions`)).json.items;
      expect(revisions.map((r: { action: string }) => r.action)).toEqual([
        'create',
        'giveConsent',
        'giveConsent',
        'sendInvitation',
        'establish',
      ]);
      expect(revisions.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4, 5]);
    }
    // The run must have cut at every point, or it proved nothing.
    expect(cuts.beforeTransaction).toBeGreaterThan(0);
    expect(cuts.afterTransaction).toBeGreaterThan(0);
    expect(cuts.answerLost).toBeGreaterThan(0);
  }, 120_000);
});
