/**
 * `npm run bench [-- --json]`: the foundation's figures, each a ratio against a baseline measured in the
 * same run (these machines are shared and noisy; absolute times would mean little).
 *
 * - initRatio: cold import + init of the bundled API function ÷ a bundled function that only constructs
 *   the DynamoDB document client; fresh Node processes, interleaved, median of 21 each.
 * - bundleRatio: minified bundle bytes, same ÷.
 * - getLatencyRatio: p50 of GET /plans/{id} through the handler ÷ p50 of the least an audited read must
 *   do — a bare GetItem of the same item and a bare PutItem of an audit entry — both against the same
 *   DynamoDB Local, interleaved.
 * - deadlineReadGrowth, reportReadPerEvent and reportHeapGrowth: see `deadline-reads.ts` and
 *   `report-reads.ts`; reportYearRatio: see `report-year.ts`.
 * - Also, not a ratio: the one-time load of the report formats (`report-formats.mjs`, the xlsx and chart
 *   libraries) on a container's first xlsx or HTML report, fresh processes, median of 11.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { stylesheet } from '../../functions/web/stylesheet.ts';
import { LAMBDA_ESBUILD_OPTIONS, LAZY_BUNDLES } from '../../infra/bundling.ts';
import { ensureTables, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { loadOrCreateIdentityKey } from '../../infra/local/identity-key.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { keys } from '../../shared/store/keys.ts';
import { apiEvent } from '../support/events.ts';
import { sharingConsent } from '../support/process.ts';
import { elsa, VARDCENTRAL } from '../support/scenarios.ts';
import { deadlineReadGrowth } from './deadline-reads.ts';
import { reportExportFigures } from './report-reads.ts';
import { reportYearFigures } from './report-year.ts';
import { staleEtagRate } from './stale-etag.ts';

const asJson = process.argv.includes('--json');
const say = (line: string) => {
  if (!asJson) process.stderr.write(`${line}\n`);
};
const outDir = resolve('.bench');
mkdirSync(outDir, { recursive: true });
const identityKeyFile = loadOrCreateIdentityKey(join(outDir, 'identity-key'));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function bundle(entry: string, name: string): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  await build({ ...LAMBDA_ESBUILD_OPTIONS, entryPoints: [entry], outfile, logLevel: 'error' });
  return outfile;
}

function coldInitMs(file: string, env: Record<string, string> = {}): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      TABLE_NAME: 'bench',
      AUDIT_TABLE_NAME: 'bench-audit',
      IDENTITY_KEY_FILE: identityKeyFile,
      AWS_REGION: 'eu-north-1',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...env,
    },
  });
  return Number(output.toString());
}

say('Bundling the API function and the reference …');
const apiBundle = await bundle('functions/api/handler.ts', 'api');
const referenceBundle = await bundle('test/bench/reference-handler.ts', 'reference');
const webBundle = await bundle('functions/web/handler.ts', 'web');
const webBytes = statSync(webBundle).size;
/** What the web function reads at init: where it signs users in and is served (nothing is fetched at init). */
const WEB_ENV = {
  JWT_ISSUER: 'https://login.example.se/realms/sip',
  JWT_AUDIENCE: 'sip-api',
  WEB_CLIENT_SECRET: 'bench',
  APP_BASE_URL: 'https://sip.example.se',
};
const apiBytes = statSync(apiBundle).size;
const referenceBytes = statSync(referenceBundle).size;
// The lazily loaded report formats beside the API's bundle, as the functions' bundling puts them.
const formatsBundle = join(outDir, 'report-formats.mjs');
await build({
  ...LAMBDA_ESBUILD_OPTIONS,
  entryPoints: [LAZY_BUNDLES['report-formats.mjs']],
  outfile: formatsBundle,
  logLevel: 'error',
});
const formatsBytes = statSync(formatsBundle).size;

say('Measuring cold import + init (21 fresh processes each, interleaved) …');
const apiInit: number[] = [];
const webInit: number[] = [];
const referenceInit: number[] = [];
coldInitMs(apiBundle); // warm the file cache once for each
coldInitMs(webBundle, WEB_ENV);
coldInitMs(referenceBundle);
for (let i = 0; i < 21; i++) {
  apiInit.push(coldInitMs(apiBundle));
  webInit.push(coldInitMs(webBundle, WEB_ENV));
  referenceInit.push(coldInitMs(referenceBundle));
}
// The workspace's one stylesheet, as it is served, compressed as a browser would fetch it.
const stylesheetGzipBytes = gzipSync(stylesheet().css).length;

const formatsLoad = Array.from({ length: 11 }, () => coldInitMs(formatsBundle));

say('Measuring GET /plans/{id} against a bare GetItem on DynamoDB Local …');
const dynamo = await startDynamoDbLocal();
let getLatency: { handler: number; getItem: number; samples: number };
let commandLoad = { firstMs: 0, nextMs: 0 };
let deadlineReads = { ratio: 0, readsPerDuePlan: { at1000: 0, at100000: 0 } };
let reportFigures: Awaited<ReturnType<typeof reportExportFigures>> | undefined;
let yearFigures: Awaited<ReturnType<typeof reportYearFigures>> | undefined;
let staleEtag = { rate: Number.NaN, stale: 0, writes: 0, reminders: 0, checks: 0, seconds: 0 };
try {
  const tableName = 'bench';
  const auditTableName = 'bench-audit';
  await ensureTables(dynamo.endpoint, { tableName, auditTableName });
  process.env.TABLE_NAME = tableName;
  process.env.AUDIT_TABLE_NAME = auditTableName;
  process.env.IDENTITY_KEY_FILE = identityKeyFile;
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const { handler } = await import(pathToFileURL(apiBundle).href);
  const claims = { sub: 'bench', org_id: VARDCENTRAL, scope: 'sip.read sip.write' };
  const created = await handler(
    apiEvent({ routeKey: 'POST /plans', path: '/plans', claims, body: JSON.stringify(elsa) }),
    {},
  );
  const planId = JSON.parse(created.body).planId as string;
  // The first command in a container compiles the command path; the second shows the steady state.
  const consentEvent = (etag: string) =>
    apiEvent({
      routeKey: 'POST /plans/{planId}/consents',
      path: `/plans/${planId}/consents`,
      pathParameters: { planId },
      claims,
      headers: { 'if-match': etag },
      body: JSON.stringify(sharingConsent()),
    });
  let started = performance.now();
  const first = await handler(consentEvent('"1"'), {});
  const firstMs = performance.now() - started;
  started = performance.now();
  const second = await handler(consentEvent(first.headers.etag), {});
  const nextMs = performance.now() - started;
  if (first.statusCode !== 200 || second.statusCode !== 200) {
    throw new Error(`consent answered ${first.statusCode}, ${second.statusCode}`);
  }
  commandLoad = { firstMs, nextMs };
  // A new event per request, as API Gateway sends: its own request id and time.
  const getEvent = () =>
    apiEvent({
      routeKey: 'GET /plans/{planId}',
      path: `/plans/${planId}`,
      pathParameters: { planId },
      claims,
    });
  const client = createDocumentClient({ tableName, endpoint: dynamo.endpoint });
  const getItem = new GetCommand({ TableName: tableName, Key: keys.plan(planId), ConsistentRead: true });

  const timeHandler = async () => {
    const t = performance.now();
    const result = await handler(getEvent(), {});
    if (result.statusCode !== 200) throw new Error(`GET answered ${result.statusCode}`);
    return performance.now() - t;
  };
  let entries = 0;
  const timeGetItem = async () => {
    const t = performance.now();
    const { Item } = await client.send(getItem);
    if (!Item) throw new Error('item missing');
    // The audit entry every read leaves: the same size and condition as the handler's.
    const at = new Date().toISOString();
    const entry = {
      at,
      requestId: `bench-${entries++}`,
      userId: 'bench',
      organisationId: VARDCENTRAL,
      action: 'getPlan',
      planId,
      individualRef: 'x'.repeat(43),
      outcome: 'allowed',
      status: 200,
    };
    await client.send(
      new PutCommand({
        TableName: auditTableName,
        Item: { ...keys.auditEntry(entry), entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return performance.now() - t;
  };
  for (let i = 0; i < 100; i++) {
    await timeHandler();
    await timeGetItem();
  }
  const handlerTimes: number[] = [];
  const getItemTimes: number[] = [];
  const samples = 600;
  for (let i = 0; i < samples; i++) {
    // Alternate which goes first, so neither always runs on a warmer connection.
    if (i % 2 === 0) {
      handlerTimes.push(await timeHandler());
      getItemTimes.push(await timeGetItem());
    } else {
      getItemTimes.push(await timeGetItem());
      handlerTimes.push(await timeHandler());
    }
  }
  getLatency = { handler: median(handlerTimes), getItem: median(getItemTimes), samples };
  say('Measuring stale ETags: one client writing while the deadline check runs every second …');
  staleEtag = await staleEtagRate(handler, dynamo.endpoint, tableName);
  say('Measuring the deadline check’s reads with 100 due plans among 1,000 and among 100,000 …');
  deadlineReads = await deadlineReadGrowth(dynamo.endpoint);
  say('Measuring a month’s report export with the table at 1× and at 100× (the growth outside the month) …');
  reportFigures = await reportExportFigures(dynamo.endpoint);
  say('Measuring a year’s report for a region of 10,000 plans in every format, against reading its events …');
  yearFigures = await reportYearFigures(dynamo.endpoint);
} finally {
  await dynamo.stop();
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const mb = (bytes: number | undefined) => `${((bytes ?? 0) / 1_048_576).toFixed(1)} MB`;
const figures = {
  initRatio: round(median(apiInit) / median(referenceInit)),
  webInitRatio: round(median(webInit) / median(referenceInit)),
  bundleRatio: round(apiBytes / referenceBytes),
  getLatencyRatio: round(getLatency.handler / getLatency.getItem),
  deadlineReadGrowth: round(deadlineReads.ratio, 3),
  reportReadPerEvent: round(reportFigures?.at100.readsPerEvent ?? Number.NaN, 3),
  reportHeapGrowth: round(reportFigures?.heapRatio ?? Number.NaN),
  reportYearRatio: round(yearFigures?.ratio ?? Number.NaN),
  staleEtagRate: round(staleEtag.rate, 4),
};
const targets = {
  initRatio: 1.25,
  webInitRatio: 1.5,
  bundleRatio: 1.6,
  getLatencyRatio: 1.1,
  deadlineReadGrowth: 1.05,
  // One item per exported event, and the one closing item of the month before the period.
  reportReadPerEvent: 1.01,
  reportHeapGrowth: 1.2,
  // Making and rendering a year's report costs at most as much again as reading its events.
  reportYearRatio: 2.0,
  // No write of a client refused for a write of the service's own.
  staleEtagRate: 0,
};
const details = {
  initMs: {
    api: round(median(apiInit), 1),
    web: round(median(webInit), 1),
    reference: round(median(referenceInit), 1),
    runs: apiInit.length,
  },
  bundleBytes: { api: apiBytes, web: webBytes, reference: referenceBytes },
  stylesheetGzipBytes,
  getP50Ms: {
    handler: round(getLatency.handler, 3),
    getItem: round(getLatency.getItem, 3),
    samples: getLatency.samples,
  },
  firstCommandMs: { first: round(commandLoad.firstMs, 1), next: round(commandLoad.nextMs, 1) },
  deadlineReadsPerDuePlan: deadlineReads.readsPerDuePlan,
  staleEtag,
  reportExport: reportFigures && {
    itemsRead: { at1: reportFigures.at1.items, at100: reportFigures.at100.items },
    eventsExported: { at1: reportFigures.at1.events, at100: reportFigures.at100.events },
    readsPerEvent: {
      at1: round(reportFigures.at1.readsPerEvent, 4),
      at100: round(reportFigures.at100.readsPerEvent, 4),
    },
    eventsInTable: reportFigures.tableEvents,
    peakHeapBytes: { at1: reportFigures.at1.peakHeap, at100: reportFigures.at100.peakHeap },
    exportHeapBytes: { at1: reportFigures.at1.exportHeap, at100: reportFigures.at100.exportHeap },
  },
  reportYear: yearFigures && {
    plans: yearFigures.plans,
    principals: yearFigures.principals,
    events: yearFigures.events,
    ms: Object.fromEntries(Object.entries(yearFigures.ms).map(([k, v]) => [k, round(v, 0)])),
    bytes: yearFigures.bytes,
  },
  reportFormats: { bytes: formatsBytes, loadMs: round(median(formatsLoad), 1) },
};

if (asJson) {
  process.stdout.write(`${JSON.stringify({ ...figures, targets, details })}\n`);
} else {
  const rows = [
    [
      'initRatio',
      figures.initRatio,
      targets.initRatio,
      `${details.initMs.api} ms ÷ ${details.initMs.reference} ms`,
    ],
    [
      'webInitRatio',
      figures.webInitRatio,
      targets.webInitRatio,
      `${details.initMs.web} ms ÷ ${details.initMs.reference} ms (the web function: ${webBytes} B)`,
    ],
    ['bundleRatio', figures.bundleRatio, targets.bundleRatio, `${apiBytes} B ÷ ${referenceBytes} B`],
    [
      'getLatencyRatio',
      figures.getLatencyRatio,
      targets.getLatencyRatio,
      `${details.getP50Ms.handler} ms ÷ ${details.getP50Ms.getItem} ms (p50)`,
    ],
    [
      'deadlineReadGrowth',
      figures.deadlineReadGrowth,
      targets.deadlineReadGrowth,
      `${details.deadlineReadsPerDuePlan.at100000} ÷ ${details.deadlineReadsPerDuePlan.at1000} items read per due plan`,
    ],
    [
      'reportReadPerEvent',
      figures.reportReadPerEvent,
      targets.reportReadPerEvent,
      `${details.reportExport?.itemsRead.at100} items ÷ ${details.reportExport?.eventsExported.at100} events at 100× (${details.reportExport?.itemsRead.at1} ÷ ${details.reportExport?.eventsExported.at1} at 1×)`,
    ],
    [
      'reportHeapGrowth',
      figures.reportHeapGrowth,
      targets.reportHeapGrowth,
      `${mb(details.reportExport?.peakHeapBytes.at100)} ÷ ${mb(details.reportExport?.peakHeapBytes.at1)} peak heap (the export's own: ${mb(details.reportExport?.exportHeapBytes.at100)} ÷ ${mb(details.reportExport?.exportHeapBytes.at1)})`,
    ],
    [
      'reportYearRatio',
      figures.reportYearRatio,
      targets.reportYearRatio,
      `${details.reportYear?.ms.html} ms (html; json ${details.reportYear?.ms.json}, csv ${details.reportYear?.ms.csv}, xlsx ${details.reportYear?.ms.xlsx}) ÷ ${details.reportYear?.ms.read} ms reading its ${details.reportYear?.events} events`,
    ],
    [
      'staleEtagRate',
      figures.staleEtagRate,
      targets.staleEtagRate,
      `${staleEtag.stale} of ${staleEtag.writes} writes refused 412; ${staleEtag.reminders} reminders from ${staleEtag.checks} checks in ${staleEtag.seconds.toFixed(1)} s`,
    ],
  ] as const;
  console.log('\nfigure              ratio   target  within  measured');
  for (const [name, ratio, target, measured] of rows) {
    console.log(
      `${name.padEnd(19)} ${String(ratio).padEnd(7)} ≤ ${String(target).padEnd(5)} ${ratio <= target ? 'yes' : 'NO '}     ${measured}`,
    );
  }
  console.log(`\nThe workspace's stylesheet: ${stylesheetGzipBytes} B gzip-compressed (at most 40 kB).`);
  console.log(
    `\nThe report formats (xlsx, HTML): ${formatsBytes} B beside the bundle, loaded on a container's first such report in ${details.reportFormats.loadMs} ms.`,
  );
  console.log(
    `A process command (record a consent), first in its container: ${details.firstCommandMs.first} ms; the next: ${details.firstCommandMs.next} ms.`,
  );
}
