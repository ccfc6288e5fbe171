/**
 * The scheduled export: the report function, as EventBridge Scheduler invokes it, against DynamoDB Local,
 * with S3 checked through aws-sdk-client-mock.
 */
import { randomBytes } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import ExcelJS from 'exceljs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTable } from '../../infra/local/dynamodb-local.ts';
import { DEFAULT_DEADLINE_SETTINGS } from '../../shared/domain/deadlines/settings.ts';
import { CreatePlanRequest } from '../../shared/domain/plan.ts';
import { newPlan } from '../../shared/domain/plan-edits.ts';
import { newId } from '../../shared/ids.ts';
import { identityReferences } from '../../shared/privacy/identity-reference.ts';
import { monthToExport } from '../../shared/reporting/monthly-export.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createPlanStore } from '../../shared/store/plan-store.ts';
import { elsa } from '../support/scenarios.ts';

const s3 = mockClient(S3Client);
const BUCKET = 'sip-reports-test';
let handler: (event: unknown, context: Context) => Promise<{ month: string; keys: string[] }>;

beforeAll(async () => {
  const tableName = process.env.TABLE_NAME ?? '';
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? '', tableName);
  const store = createPlanStore(
    createDocumentClient({ tableName, endpoint: process.env.DYNAMODB_ENDPOINT }),
    tableName,
    DEFAULT_DEADLINE_SETTINGS,
    identityReferences(randomBytes(32)),
  );
  const actor = { userId: 'test', organisationId: 'SE2321000131-E000000000001' };
  // Seven of Elsa's plans in January 2026, one in February.
  for (const at of [
    ...Array.from({ length: 7 }, (_, i) => `2026-01-${10 + i}T10:00:00+01:00`),
    '2026-02-03T10:00:00+01:00',
  ]) {
    const now = new Date(at);
    const plan = newPlan(
      CreatePlanRequest.parse({ ...elsa, initiation: { ...elsa.initiation, noticedAt: at } }),
      newId(),
      {
        actor,
        now,
        newId: () => newId(),
      },
    );
    await store.save({
      plan,
      revision: {
        planId: plan.planId,
        version: 1,
        action: 'create',
        at: plan.createdAt,
        by: actor,
        changes: [],
      },
    });
  }
  process.env.REPORT_BUCKET = BUCKET;
  process.env.REPORT_PRINCIPALS = JSON.stringify({ SE2321000131: '14', SE2120001801: '1480' });
  const module = await import('../../functions/report/handler.ts');
  handler = (event, context) => module.handler(event as never, context);
});
beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
});

const context = { awsRequestId: 'test', functionName: 'report' } as Context;

async function workbookOf(body: unknown) {
  expect(body).toBeInstanceOf(Uint8Array);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((body as Uint8Array).slice().buffer);
  return workbook;
}

describe('the monthly export', () => {
  it('writes the month before the scheduled one to the bucket, as JSON, CSV, xlsx and HTML', async () => {
    // 06:00 on 1 February in Stockholm.
    const result = await handler({ scheduledTime: '2026-02-01T05:00:00Z' }, context);
    expect(result.month).toBe('2026-01');
    const calls = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    const file = (extension: string, ContentType: string) => ({
      Bucket: BUCKET,
      Key: `regional/2026/sip-regional-2026-01-01--2026-01-31.${extension}`,
      ContentType,
      ChecksumAlgorithm: 'SHA256',
    });
    expect(calls.map(({ Body: _, ...rest }) => rest)).toEqual([
      file('json', 'application/json'),
      file('csv', 'text/csv; charset=utf-8'),
      file('xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
      file('html', 'text/html; charset=utf-8'),
    ]);
    const [json, csv, xlsx, html] = calls.map((call) => call.Body);
    expect(JSON.parse(String(json)).rows).toHaveLength(2 * 28);
    expect(String(csv).startsWith('\uFEFF')).toBe(true);
    expect(String(csv)).toContain(
      'månad;2026-01-01;2026-01-31;14;region;Påbörjade;utskrivning från slutenvård;antal;0;0;7;0;7;',
    );
    const sheet = (await workbookOf(xlsx)).getWorksheet('Påbörjade');
    expect(sheet?.getRow(2).values).toEqual(expect.arrayContaining(['14', 'utskrivning från slutenvård', 7]));
    expect(String(html)).toContain('<h2 id="h-1">Kommun 1480</h2>');
    expect(String(json) + String(csv) + String(html)).not.toMatch(/\d{6,8}[-+]?\d{4}/);
  });

  it('writes the same figures when a retry runs it again: the same bytes, the xlsx the same cells', async () => {
    await handler({ scheduledTime: '2026-02-01T05:00:00Z' }, context);
    await handler({ scheduledTime: '2026-02-01T05:00:00Z' }, context);
    const calls = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(8);
    for (let i = 0; i < 4; i++) {
      const [first, again] = [calls[i], calls[i + 4]];
      expect(again?.Key).toBe(first?.Key);
      if (first?.Key?.endsWith('.xlsx')) {
        // The zip stamps each file with the time it was written; what it holds is the same.
        const cells = async (body: unknown) =>
          (await workbookOf(body)).worksheets.map((sheet) => JSON.stringify(sheet.getSheetValues()));
        expect(await cells(again?.Body)).toEqual(await cells(first?.Body));
      } else expect(again?.Body).toBe(first?.Body);
    }
  });

  it('exports a month named by hand, and fails rather than guess at a bad one', async () => {
    expect((await handler({ month: '2026-02' }, context)).keys).toEqual(
      ['json', 'csv', 'xlsx', 'html'].map(
        (ext) => `regional/2026/sip-regional-2026-02-01--2026-02-28.${ext}`,
      ),
    );
    await expect(handler({ month: '2026-13' }, context)).rejects.toThrow('YYYY-MM');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(4);
  });

  it('fails when S3 refuses the file, so that the schedule retries and then dead-letters it', async () => {
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    await expect(handler({ scheduledTime: '2026-02-01T05:00:00Z' }, context)).rejects.toThrow('AccessDenied');
  });
});

describe('which month a run exports', () => {
  it('is the one before the scheduled time’s Stockholm month, in summer and in winter', () => {
    expect(monthToExport({ scheduledTime: '2026-01-01T05:00:00Z' }, new Date())).toBe('2025-12');
    expect(monthToExport({ scheduledTime: '2026-07-01T04:00:00Z' }, new Date())).toBe('2026-06');
    // No scheduled time (a test invoke from the console): the month before now.
    expect(monthToExport({}, new Date('2026-03-15T12:00:00Z'))).toBe('2026-02');
  });
});
