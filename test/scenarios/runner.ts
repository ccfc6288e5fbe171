/**
 * Runs a SIP from SCENARIOS.md day by day: its steps over HTTP (the local gateway and the API handler, against
 * DynamoDB Local), the deadline check every 15 simulated minutes and notify (the local runtime's, with its
 * outbox), all on one test clock. Returns the outbox as rows — day, deadline kind (or `kallelse`, or
 * `planEnded` for the notice that the plan has ended), stage (for a notice: `closed`, `restarted` or
 * `notNeeded`), recipient — for the test to compare with its hand-written table.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TokenRequest } from '../../infra/local/auth.ts';
import { type LocalReminders, startLocalReminders } from '../../infra/local/reminders.ts';
import { addCalendarDays, fromStockholmLocal, toStockholmDate } from '../../shared/domain/time.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { DUE_SHARDS, keys } from '../../shared/store/keys.ts';
import { TABLE } from '../../shared/store/table.ts';
import { startTestApi } from '../support/api.ts';

type Api = Awaited<ReturnType<typeof startTestApi>>;

/**
 * One row of an outbox: on which day of the story, about what, to whom. Read from the file's name, which is
 * the delivery id (`<planId>/<reminder id>/<channel>`): `followUp:2027-01-09/reminder` gives `followUp`,
 * `reminder`; `kallelse:<invitation>#0:<organisation>/sent` gives `kallelse`, `sent`; and
 * `planEnded:<organisation>/closed` gives `planEnded`, `closed`.
 */
export type Row = [day: number, kind: string, stage: string, to: string];

export interface Story {
  /** Day 0 of the story, when the need is noticed (a Stockholm date). */
  day0: string;
  /** The last day simulated. */
  lastDay: number;
  steps: { day: number; at: string; run: (plan: PlanClient) => Promise<unknown> }[];
}

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read as a client reads them
type Json = any;

/** A plan as a journal system drives it: each write with the plan's ETag, as the organisation that makes it. */
export interface PlanClient {
  create(body: unknown, as: string): Promise<void>;
  post(path: string, body: unknown, as: string): Promise<{ json: Json }>;
  /** The kallelse's id, once sent. */
  invitationId(): string;
  consentId(index: number): string;
  /** The plan as last answered. */
  current(): Json;
  /** What the plan's deadlines say now (GET /plans/{id}/deadlines), as the given organisation. */
  deadlines(as: string): Promise<Json>;
  readonly planId: string;
  /** Every write answered 2xx, none 412: the check never moves a plan's ETag under its users. */
  readonly refused: string[];
}

const QUARTER = 15 * 60_000;
const ceilQuarter = (ms: number) => Math.ceil(ms / QUARTER) * QUARTER;

/** `day` of the story at `HH:MM` Stockholm time. */
export function instant(day0: string, day: number, at = '00:00'): Date {
  const [y = 0, m = 1, d = 1] = addCalendarDays(day0, day).split('-').map(Number);
  const [hour = 0, minute = 0] = at.split(':').map(Number);
  return fromStockholmLocal(y, m, d, hour, minute);
}

export async function runStory(
  story: Story,
  options: { checkStopped?: { from: Date; to: Date } } = {},
): Promise<{ rows: Row[]; plan: PlanClient; checkRuns: number }> {
  let clock = instant(story.day0, 0);
  const api: Api = await startTestApi({ clock: () => clock });
  const outbox = mkdtempSync(join(tmpdir(), 'sip-scenario-'));
  const sent: { at: Date; file: string }[] = [];
  const reminders: LocalReminders = startLocalReminders({
    dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    tableName: process.env.TABLE_NAME ?? '',
    outbox,
    appBaseUrl: 'https://sip.example',
    intervalSeconds: 0,
    clock: () => clock,
    log: (line) => {
      const file = /\(([^()]+)\)$/.exec(line)?.[1];
      if (file) sent.push({ at: clock, file });
    },
  });
  const plan = planClient(api);
  const client = createDocumentClient({
    tableName: process.env.TABLE_NAME ?? '',
    endpoint: process.env.DYNAMODB_ENDPOINT,
  });
  /** The earliest moment anything is due in the due-time index (reminders and held messages alike). */
  const nextDue = async (): Promise<number> => {
    let earliest = Number.POSITIVE_INFINITY;
    for (let shard = 0; shard < DUE_SHARDS; shard++) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: process.env.TABLE_NAME ?? '',
          IndexName: 'dueByTime',
          KeyConditionExpression: '#shard = :shard',
          ExpressionAttributeNames: { '#shard': TABLE.indexes.dueByTime.partitionKey },
          ExpressionAttributeValues: { ':shard': keys.dueShard(shard) },
          Limit: 1,
        }),
      );
      const first = Items[0]?.[TABLE.indexes.dueByTime.sortKey];
      if (first) earliest = Math.min(earliest, Date.parse(String(first).split('#')[0] ?? ''));
    }
    return earliest;
  };

  const steps = story.steps
    .map((step) => ({ ...step, time: instant(story.day0, step.day, step.at).getTime() }))
    .sort((a, b) => a.time - b.time);
  const end = instant(story.day0, story.lastDay + 1).getTime();
  const stopped = options.checkStopped;
  let cursor = clock.getTime();
  let checkRuns = 0;
  try {
    for (;;) {
      // The check runs on every quarter hour. A run finds work only where the due-time index has an entry
      // due by then (it reads nothing else), and only a step or a run changes the index: so the runs that
      // could do anything are those at the first quarter hour at or after the earliest entry, and after each
      // step. The others, which would read an empty index and write nothing, are skipped: 15-minute steps
      // over 400 days would be 38,000 runs.
      const step = steps[0];
      let check = ceilQuarter(Math.max(cursor, await nextDue()));
      if (stopped && check >= stopped.from.getTime() && check < stopped.to.getTime())
        check = ceilQuarter(stopped.to.getTime());
      const nextStep = step?.time ?? Number.POSITIVE_INFINITY;
      if (Math.min(nextStep, check) >= end) break;
      if (nextStep <= check) {
        // A step at a quarter hour comes before that quarter hour's run.
        steps.shift();
        clock = new Date(nextStep);
        await step?.run(plan);
        cursor = nextStep;
      } else {
        clock = new Date(check);
        await reminders.checkNow();
        checkRuns++;
        cursor = check + 1;
      }
    }
  } finally {
    await reminders.stop();
    await api.close();
  }
  const day = (at: Date) =>
    Math.round((Date.parse(toStockholmDate(at)) - Date.parse(story.day0)) / 86_400_000);
  const rows = sent
    .filter(({ file }) => basename(file).startsWith(plan.planId))
    .map(({ at, file }): Row => {
      const tokens = basename(file)
        .slice(plan.planId.length + 1)
        .replace(/\.\w+$/, '')
        .split('_');
      const content = readFileSync(file, 'utf8');
      const to = file.endsWith('.json')
        ? (JSON.parse(content).to as string)
        : (/^To: (.+)$/m.exec(content)?.[1] ?? '').trim();
      return [day(at), tokens[0] ?? '', tokens.at(-2) ?? '', to];
    });
  return { rows, plan, checkRuns };
}

export function planClient(api: Api): PlanClient {
  let planId = '';
  let etag = '';
  let latest: Json;
  const refused: string[] = [];
  const token = (org: string): Partial<TokenRequest> => ({ organisationId: org, userId: `user@${org}` });
  return {
    get planId() {
      return planId;
    },
    refused,
    async create(body, as) {
      const res = await api.call('POST', '/plans', { body, as: token(as) });
      if (res.status !== 201) throw new Error(`create: ${res.status} ${res.text}`);
      planId = res.json.planId;
      etag = res.headers.get('etag') ?? '';
      latest = res.json;
    },
    async post(path, body, as) {
      const res = await api.call('POST', `/plans/${planId}${path}`, {
        body,
        headers: { 'if-match': etag },
        as: token(as),
      });
      if (res.status >= 300) {
        refused.push(`${path}: ${res.status}`);
        throw new Error(`${path} as ${as}: ${res.status} ${res.text}`);
      }
      etag = res.headers.get('etag') ?? '';
      latest = res.json;
      return res;
    },
    invitationId: () => latest.invitations.at(-1).id,
    consentId: (index) => latest.consents[index].id,
    current: () => latest,
    async deadlines(as) {
      return (await api.call('GET', `/plans/${planId}/deadlines`, { as: token(as) })).json;
    },
  };
}

/** What an outbox differs from the expected rows by: each row counted, so a duplicate shows. */
export function compare(expected: Row[], actual: Row[]) {
  const count = (rows: Row[]) => {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.join(' | '), (counts.get(row.join(' | ')) ?? 0) + 1);
    return counts;
  };
  const want = count(expected);
  const got = count(actual);
  const missing: string[] = [];
  const extra: string[] = [];
  const duplicated: string[] = [];
  for (const [row, n] of want) for (let i = got.get(row) ?? 0; i < n; i++) missing.push(row);
  for (const [row, n] of got) {
    const allowed = want.get(row) ?? 0;
    for (let i = allowed; i < n; i++) (allowed > 0 || i > 0 ? duplicated : extra).push(row);
  }
  return { missing, extra, duplicated };
}
