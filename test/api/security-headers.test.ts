/**
 * The security headers on every answer of the service: every route of the routes table, a 401, a 404 and a
 * 500 from a forced failure (the API's connection to DynamoDB cut by a proxy), over the local gateway.
 * Pages allow their inline styles by hash — checked here against the hashes of the styles they carry — and no
 * answer carries `'unsafe-inline'`. That the pages work under their policies is the browser test's to show.
 */
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_KEYS } from '../../shared/http/routes.ts';
import { startTestApi } from '../support/api.ts';
import { apiEvent } from '../support/events.ts';
import { planDriver } from '../support/process.ts';
import { VARDCENTRAL } from '../support/scenarios.ts';

/** Forwards to DynamoDB Local, or cuts every connection while `cut` is set. */
let cut = false;
function switchableProxy(target: string): Promise<Server> {
  const { hostname, port } = new URL(target);
  const server = createServer((req, res) => {
    if (cut) {
      req.socket.destroy();
      return;
    }
    const upstream = httpRequest(
      { hostname, port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let api: Awaited<ReturnType<typeof startTestApi>>;
let proxy: Server;
let planId: string;
beforeAll(async () => {
  proxy = await switchableProxy(process.env.DYNAMODB_ENDPOINT ?? '');
  const { port } = proxy.address() as AddressInfo;
  api = await startTestApi({ dynamoDbEndpoint: `http://127.0.0.1:${port}` });
  planId = await planDriver(api).planAt('established');
});
afterAll(async () => {
  await api?.close();
  proxy?.close();
});

const REPORT_READER = { organisationId: VARDCENTRAL, scopes: ['sip.read', 'report.read'] };
const OTHER_ID = '00000000-0000-4000-8000-000000000000';

/** A request for each route: reads as they are meant, writes with a stale If-Match (refused, nothing written). */
const requestFor = (routeKey: string) => {
  const [method = '', template = ''] = routeKey.split(' ');
  const path = template
    .replace('{planId}', planId)
    .replace('{problemType}', 'precondition-failed')
    .replace(/\{\w+\}/g, OTHER_ID)
    .replace('/reports/regional', '/reports/regional?from=2026-11-01&to=2026-11-30');
  return {
    method,
    path,
    options: {
      ...(routeKey.includes('/reports/') && { as: REPORT_READER }),
      ...(method !== 'GET' && { body: {}, headers: { 'if-match': '"0"' } }),
    },
  };
};

/** The `<style>` elements' contents of a page, and their CSP hash-sources, computed here. */
const styleHashes = (html: string) =>
  [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    ([, css]) =>
      `'sha256-${createHash('sha256')
        .update(css ?? '')
        .digest('base64')}'`,
  );

function expectSecured(res: { status: number; headers: Headers; text: string }, label: string) {
  const header = (name: string) => res.headers.get(name) ?? '';
  expect(header('x-content-type-options'), label).toBe('nosniff');
  expect(header('referrer-policy'), label).toBe('no-referrer');
  expect(header('strict-transport-security'), label).toBe('max-age=31536000');
  expect(header('cache-control'), label).not.toBe('');
  const policy = header('content-security-policy');
  expect(policy, label).toContain("frame-ancestors 'none'");
  expect(policy, label).not.toContain('unsafe-inline');
  const directives = policy.split(';').map((directive) => directive.trim());
  expect(directives, label).toContain("default-src 'none'");
  if (header('content-type').startsWith('text/html')) {
    const style = directives.find((directive) => directive.startsWith('style-src ')) ?? '';
    const allowed = style.split(' ').slice(1);
    const hashes = styleHashes(res.text);
    expect(hashes.length, label).toBeGreaterThan(0);
    expect(new Set(allowed), label).toEqual(new Set(hashes));
    expect(res.text, label).not.toMatch(/\sstyle="/);
    expect(res.text, label).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  } else {
    expect(policy, label).toBe("default-src 'none'; frame-ancestors 'none'");
  }
}

describe('security headers', () => {
  it.each(ROUTE_KEYS)('on %s', async (routeKey) => {
    const { method, path, options } = requestFor(routeKey);
    const res = await api.call(method, path, options);
    expect(res.status, res.text).toBeLessThan(500);
    expectSecured(res, `${routeKey} → ${res.status}`);
    const head = method === 'GET' ? await api.call('HEAD', path, options) : undefined;
    if (head)
      for (const name of ['content-security-policy', 'x-content-type-options', 'strict-transport-security'])
        expect(head.headers.get(name), `HEAD ${name}`).toBe(res.headers.get(name));
  });

  it('on the HTML report and the answers that stay private: no-store', async () => {
    const report = await api.call('GET', '/reports/regional?from=2026-11-01&to=2026-11-30&format=html', {
      as: REPORT_READER,
    });
    expect(report.status).toBe(200);
    expectSecured(report, 'report html');
    for (const res of [
      report,
      await api.call('GET', `/plans/${planId}`),
      await api.call('GET', `/plans/${planId}/document`),
    ])
      expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('on a 401: without a token, and with a refused one — no-store too', async () => {
    for (const res of [
      await api.call('GET', `/plans/${planId}`, { as: null }),
      await api.call('GET', `/plans/${planId}`, {
        as: null,
        headers: { authorization: 'Bearer not-a-token' },
      }),
    ]) {
      expect(res.status).toBe(401);
      expectSecured(res, '401');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('on a 404: no route, and a plan that does not exist', async () => {
    for (const path of ['/no-such-route', `/plans/${OTHER_ID}`]) {
      const res = await api.call('GET', path);
      expect(res.status).toBe(404);
      expectSecured(res, `404 ${path}`);
    }
  });

  it('on a 405 and on a 431 the local gateway writes itself', async () => {
    const notAllowed = await api.call('DELETE', `/plans/${planId}`);
    expect(notAllowed.status).toBe(405);
    expectSecured(notAllowed, '405');
    const tooLarge = await api.call('GET', `/plans/${planId}`, {
      headers: { 'x-padding': 'x'.repeat(11_000) },
    });
    expect(tooLarge.status).toBe(431);
    expectSecured(tooLarge, '431');
  });

  it('on a 500 from a forced failure: DynamoDB unreachable', async () => {
    cut = true;
    try {
      const res = await api.call('GET', `/plans/${planId}`);
      expect(res.status).toBe(500);
      expect(res.json.type).toBe('/problems/internal-error');
      expectSecured(res, '500');
      expect(res.headers.get('cache-control')).toBe('no-store');
    } finally {
      cut = false;
    }
  });
});

describe('security headers from the Lambda handlers themselves (not added by the local gateway)', () => {
  const claims = { sub: 'user-1', org_id: VARDCENTRAL, scope: 'sip.read sip.write' };
  const asResponse = (result: { statusCode?: number; headers?: Record<string, unknown>; body?: string }) => ({
    status: result.statusCode ?? 0,
    headers: new Headers(
      Object.entries(result.headers ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
    ),
    text: result.body ?? '',
  });

  it.each([
    ['GET /plans/{planId}', (): string => `/plans/${planId}`, 200],
    ['GET /plans/{planId}/document', (): string => `/plans/${planId}/document`, 200],
    ['GET /plans/{planId}', (): string => `/plans/${OTHER_ID}`, 404],
    ['$default', (): string => '/no-such-route', 404],
  ] as const)('the API function on %s (%s) → %i', async (routeKey, path, status): Promise<void> => {
    const { handler } = await import('../../functions/api/handler.ts');
    const id = path().split('/')[2];
    const result = await handler(
      apiEvent({ routeKey, path: path(), claims, ...(id && { pathParameters: { planId: id } }) }),
      {} as never,
    );
    expect(result.statusCode).toBe(status);
    expectSecured(asResponse(result), `${routeKey} ${status}`);
  });

  it('the API function on a forced failure (DynamoDB unreachable) → 500', async () => {
    const { handler } = await import('../../functions/api/handler.ts');
    cut = true;
    try {
      const result = await handler(
        apiEvent({
          routeKey: 'GET /plans/{planId}',
          path: `/plans/${planId}`,
          pathParameters: { planId },
          claims,
        }),
        {} as never,
      );
      expect(result.statusCode).toBe(500);
      expectSecured(asResponse(result), '500');
    } finally {
      cut = false;
    }
  });

  it.each(['GET /docs', 'GET /docs/app.js', 'GET /openapi.json', 'GET /problems'])(
    'the docs function on %s',
    async (routeKey) => {
      const { handler } = await import('../../functions/docs/handler.ts');
      const path = routeKey.slice(4);
      const result = await handler(apiEvent({ routeKey, path }), {} as never);
      expect(result.statusCode).toBe(200);
      expectSecured(asResponse(result), routeKey);
    },
  );
});
