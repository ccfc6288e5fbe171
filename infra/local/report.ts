/**
 * `npm run report -- --from 2026-01-01 --to 2026-03-31 [--principal 1480] [--format csv|json|xlsx|html]`:
 * the regional report of the local data, written to the data folder's `reports/` (every format unless one
 * is named). The same code as the HTTP route and the monthly export to S3.
 *
 * It reads the local DynamoDB: the one at DYNAMODB_ENDPOINT, or DynamoDB Local started here on the data
 * folder (next to a running `npm start` if need be: both read the same files).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ValidationError } from '../../shared/domain/errors.ts';
import {
  CONTENT_TYPES,
  fileNameOf,
  REPORT_FORMATS,
  type ReportFormat,
  renderReport,
} from '../../shared/reporting/formats.ts';
import { parsePeriod } from '../../shared/reporting/period.ts';
import { principalRegisterFrom } from '../../shared/reporting/principals.ts';
import { produceRegionalReport, type ReportProgress } from '../../shared/reporting/produce.ts';
import { fileReportSink } from '../../shared/reporting/sinks.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createReportStore } from '../../shared/store/report-events.ts';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from './dynamodb-local.ts';
import { localSettings } from './settings.ts';

const usage =
  'usage: npm run report -- --from YYYY-MM-01 --to YYYY-MM-DD [--principal <kommunkod|regionkod>] [--format csv|json|xlsx|html]';

/** A progress bar on a terminal; nothing when the output goes to a file or a pipe. */
function progressBar(stream: NodeJS.WriteStream) {
  if (!stream.isTTY) return { update: (_: ReportProgress) => {}, done: () => {} };
  const width = 30;
  return {
    update({ monthsDone, months, events, month }: ReportProgress) {
      const filled = Math.round((monthsDone / months) * width);
      stream.write(
        `\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${monthsDone}/${months} months (${month}) · ${events} events`,
      );
    },
    done: () => stream.write('\r\x1b[2K'),
  };
}

const settings = localSettings();
let dynamo: DynamoDbLocal | undefined;
try {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      principal: { type: 'string' },
      format: { type: 'string' },
    },
    strict: true,
  });
  // Every problem at once, as the HTTP route answers them.
  const issues = [];
  const known = (format: string): format is ReportFormat =>
    (REPORT_FORMATS as readonly string[]).includes(format);
  if (values.format !== undefined && !known(values.format)) {
    issues.push({ parameter: 'format', detail: REPORT_FORMATS.join(', ') });
  }
  const formats: ReportFormat[] =
    values.format && known(values.format) ? [values.format] : [...REPORT_FORMATS];
  let period: ReturnType<typeof parsePeriod> | undefined;
  try {
    period = parsePeriod(values.from ?? '', values.to ?? '');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || !period) throw new ValidationError(issues);
  const register = principalRegisterFrom(settings.reportPrincipals);

  let endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    process.stderr.write('Starting DynamoDB Local on the data folder …\n');
    dynamo = await startDynamoDbLocal({ dataDir: join(settings.dataDir, 'dynamodb') });
    endpoint = dynamo.endpoint;
  }
  await ensureTable(endpoint, settings.tableName);
  const reports = createReportStore(
    createDocumentClient({ tableName: settings.tableName, endpoint }),
    settings.tableName,
  );
  const bar = progressBar(process.stderr);
  const report = await produceRegionalReport(reports, {
    period,
    register,
    principal: values.principal,
    onProgress: bar.update,
    byMonth: formats.includes('html'),
  });
  bar.done();
  const sink = fileReportSink(settings.reportsDir);
  for (const format of formats) {
    const name = fileNameOf(report, format, values.principal);
    await sink.put(name, await renderReport(report, format), CONTENT_TYPES[format]);
    process.stdout.write(`${join(settings.reportsDir, name)}\n`);
  }
  if (report.unregisteredPrincipals > 0) {
    process.stderr.write(
      `${report.unregisteredPrincipals} principal(s) took part but are not in REPORT_PRINCIPALS: their figures are left out.\n`,
    );
  }
} catch (error) {
  const message =
    error instanceof ValidationError
      ? error.issues
          .map((issue) => `--${'parameter' in issue ? issue.parameter : issue.pointer}: ${issue.detail}`)
          .join('\n')
      : (error as Error).message;
  process.stderr.write(`${message}\n${usage}\n`);
  process.exitCode = 2;
} finally {
  await dynamo?.stop();
}
