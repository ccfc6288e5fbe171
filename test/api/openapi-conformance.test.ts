/**
 * The OpenAPI document against what the API answers, checked with tools nobody here wrote: every response
 * of a run through the API must be declared for its operation — status, media type, and a body that ajv
 * validates against the declared schema — and Redocly's recommended rules find nothing to warn about.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_SETTINGS } from '../../shared/domain/deadlines/settings.ts';
import { runDeadlineCheck } from '../../shared/reminders/check.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createPlanStore } from '../../shared/store/plan-store.ts';
import { createReminderBook } from '../../shared/store/reminder-book.ts';
import { createReportStore } from '../../shared/store/report-events.ts';
import { startTestApi } from '../support/api.ts';
import {
  establishment,
  establishmentConsent,
  invitation,
  planDriver,
  sharingConsent,
} from '../support/process.ts';
import { elsa, VARDCENTRAL } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
// biome-ignore lint/suspicious/noExplicitAny: the document is read as the JSON it is
let doc: any;
beforeAll(async () => {
  api = await startTestApi();
  doc = (await api.call('GET', '/openapi.json', { as: null })).json;
});
afterAll(() => api?.close());

const REPORT_READER = { organisationId: VARDCENTRAL, scopes: ['sip.read', 'report.read'] };
type Response = Awaited<ReturnType<typeof api.call>>;

/** Checks one answer against the operation `method template` of the document; returns what does not conform. */
function nonConformance(method: string, template: string, res: Response): string[] {
  const operation = doc.paths[template]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${template} is not in the document`];
  const declared = operation.responses[String(res.status)];
  if (!declared) return [`${method} ${template} answered ${res.status}, which is not declared`];
  if (res.text === '')
    return declared.content && method !== 'HEAD' && res.status !== 304 && res.status !== 204
      ? [`${method} ${template} ${res.status}: declared with content, answered without`]
      : [];
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  const media = declared.content?.[mediaType];
  if (!media) return [`${method} ${template} ${res.status}: ${mediaType} is not declared`];
  const pointer = [
    'paths',
    template,
    method.toLowerCase(),
    'responses',
    String(res.status),
    'content',
    mediaType,
    'schema',
  ]
    .map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('/');
  const validate = ajv().getSchema(`openapi#/${pointer}`);
  if (!validate) return [`no schema at ${pointer}`];
  const body = mediaType.endsWith('json') ? res.json : res.text;
  return validate(body)
    ? []
    : [`${method} ${template} ${res.status}: ${JSON.stringify(validate.errors?.slice(0, 3))}`];
}

let compiled: Ajv2020 | undefined;
function ajv(): Ajv2020 {
  if (compiled) return compiled;
  // Not strict: the document carries OpenAPI's own keywords beside the JSON Schemas.
  compiled = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(compiled);
  compiled.addSchema(doc, 'openapi');
  return compiled;
}

describe('every answer is declared in the OpenAPI document', () => {
  it('with its status, its media type and a body its schema accepts', async () => {
    const driver = planDriver(api);
    const calls: [string, string, Response][] = [];
    const record = async (method: string, template: string, res: Response | Promise<Response>) => {
      calls.push([method, template, await res]);
      return calls.at(-1)?.[2] as Response;
    };
    const unknownPlan = '/plans/00000000-0000-4000-8000-000000000000';

    await record('POST', '/plans', api.call('POST', '/plans', { body: elsa }));
    await record('POST', '/plans', api.call('POST', '/plans', { body: { individual: {} } }));
    await record(
      'POST',
      '/plans',
      api.call('POST', '/plans', { rawBody: 'x', headers: { 'content-type': 'text/plain' } }),
    );
    await record('POST', '/plans', api.call('POST', '/plans', { body: elsa, as: null }));
    await record('POST', '/plans', api.call('POST', '/plans', { body: elsa, as: { scopes: ['sip.read'] } }));
    await record('GET', '/plans', api.call('GET', '/plans'));
    await record('GET', '/plans', api.call('GET', '/plans?limit=0'));

    const planId = await driver.create(elsa);
    const path = `/plans/${planId}`;
    const read = await record('GET', '/plans/{planId}', api.call('GET', path));
    const etag = read.headers.get('etag') ?? '';
    await record('GET', '/plans/{planId}', api.call('GET', path, { headers: { 'if-none-match': etag } }));
    await record('HEAD', '/plans/{planId}', api.call('HEAD', path));
    await record('GET', '/plans/{planId}', api.call('GET', unknownPlan));
    await record('PATCH', '/plans/{planId}', api.call('PATCH', path, { body: { longTermGoal: 'Mål.' } }));
    await record(
      'PATCH',
      '/plans/{planId}',
      api.call('PATCH', path, { body: { longTermGoal: 'Mål.' }, headers: { 'if-match': '"9"' } }),
    );
    await record('GET', '/plans/{planId}/revisions', api.call('GET', `${path}/revisions`));
    await record('POST', '/plans/{planId}/invitations', driver.send(planId, '/invitations', invitation()));
    await record('POST', '/plans/{planId}/consents', driver.send(planId, '/consents', sharingConsent()));
    await record(
      'POST',
      '/plans/{planId}/consents',
      driver.send(planId, '/consents', establishmentConsent()),
    );
    await record('POST', '/plans/{planId}/invitations', driver.send(planId, '/invitations', invitation()));
    await record(
      'POST',
      '/plans/{planId}/establishment',
      driver.send(planId, '/establishment', establishment()),
    );
    await record('GET', '/plans/{planId}/document', api.call('GET', `${path}/document`));
    await record('GET', '/plans/{planId}/deadlines', api.call('GET', `${path}/deadlines`));
    await record('GET', '/deadlines', api.call('GET', '/deadlines?state=upcoming'));
    await record('GET', '/deadlines', api.call('GET', '/deadlines?state=never'));
    await record('GET', '/plans/{planId}/audit', api.call('GET', `${path}/audit`));
    await record(
      'POST',
      '/plans/{planId}/restart',
      driver.send(planId, '/restart', {
        longTermGoal: 'Att flytta till ett seniorboende.',
        informed: ['Elsa Exempel'],
        individualToldAt: '2026-11-10T08:30:00+01:00',
      }),
    );
    // Ended: the deadlines now list the notice owed to each participating organisation; once the check has
    // handed them on, when — and for home care, which has no address here, that nobody could be reached.
    await record('GET', '/plans/{planId}/deadlines', api.call('GET', `${path}/deadlines`));
    const tableName = process.env.TABLE_NAME ?? '';
    const client = createDocumentClient({ tableName, endpoint: process.env.DYNAMODB_ENDPOINT });
    await runDeadlineCheck({
      plans: createPlanStore(client, tableName),
      book: createReminderBook(client, tableName),
      reports: createReportStore(client, tableName),
      queue: { send: async () => {} },
      settings: DEFAULT_DEADLINE_SETTINGS,
      now: api.now(),
    });
    const ended = await record('GET', '/plans/{planId}/deadlines', api.call('GET', `${path}/deadlines`));
    const report = '/reports/regional?from=2026-11-01&to=2026-11-30';
    await record('GET', '/reports/regional', api.call('GET', report, { as: REPORT_READER }));
    await record('GET', '/reports/regional', api.call('GET', `${report}&format=csv`, { as: REPORT_READER }));
    await record(
      'GET',
      '/reports/regional',
      api.call('GET', '/reports/regional?from=x', { as: REPORT_READER }),
    );
    await record('DELETE', '/plans', api.call('DELETE', '/plans'));
    await record('GET', '/openapi.json', api.call('GET', '/openapi.json', { as: null }));
    await record('GET', '/docs', api.call('GET', '/docs', { as: null }));
    await record('GET', '/problems', api.call('GET', '/problems', { as: null }));
    await record('GET', '/problems/{problemType}', api.call('GET', '/problems/not-found', { as: null }));
    await record('GET', '/problems/{problemType}', api.call('GET', '/problems/nothing', { as: null }));

    // DELETE is no operation of /plans: its 405 is declared on the operations the path has.
    const problems = calls.flatMap(([method, template, res]) =>
      method === 'DELETE' ? nonConformance('GET', template, res) : nonConformance(method, template, res),
    );
    expect(problems).toEqual([]);
    // The run reached what the document had left out before: bodies of the deadlines, the reports (JSON and
    // CSV) and the document, 304, 405, and the restart's 201.
    const statuses = calls.map(([method, template, res]) => `${method} ${template} ${res.status}`);
    expect(statuses).toEqual(
      expect.arrayContaining([
        'GET /plans/{planId} 304',
        'POST /plans/{planId}/restart 201',
        'GET /plans/{planId}/deadlines 200',
        'GET /deadlines 200',
        'GET /plans/{planId}/document 200',
        'DELETE /plans 405',
      ]),
    );
    const upcoming = calls.find(([, template]) => template === '/deadlines')?.[2];
    expect(upcoming?.json.items.length).toBeGreaterThan(0);
    expect(ended.json.notices).toContainEqual(expect.objectContaining({ queuedAt: expect.any(String) }));
    expect(ended.json.notices).toContainEqual(expect.objectContaining({ undeliverable: true }));
  });
});

describe('the OpenAPI document', () => {
  it('declares 405 and 500 on every operation, and 304 where a read answers If-None-Match', () => {
    for (const [path, item] of Object.entries<Record<string, { responses: object }>>(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(['405', '500']),
        );
      }
    }
    expect(doc.paths['/plans/{planId}'].get.responses['304']).toBeDefined();
    expect(doc.paths['/plans/{planId}/document'].get.responses['304']).toBeDefined();
    expect(Object.keys(doc.paths['/plans/{planId}/restart'].post.responses)).toContain('201');
    expect(Object.keys(doc.paths['/plans/{planId}/restart'].post.responses)).not.toContain('200');
  });

  it('declares HEAD beside every GET', () => {
    for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths))
      if (item.get) expect(item.head, path).toBeDefined();
  });

  it('declares a licence', () => {
    expect(doc.info.license?.name).toEqual(expect.any(String));
    expect(doc.info.license.identifier ?? doc.info.license.url).toEqual(expect.any(String));
  });

  it('has nothing for Redocly’s recommended rules to warn about, checked offline', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sip-openapi-'));
    const file = join(folder, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const cli = join(
      dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
      'bin',
      'cli.js',
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'lint', '--extends', 'recommended', '--format', 'json', file],
      {
        cwd: folder,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
      },
    );
    const report = JSON.parse(stdout);
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);
});
