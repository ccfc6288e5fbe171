/**
 * The monthly report export, invoked by EventBridge Scheduler at 06:00 Stockholm time on the 1st of every
 * month: the previous month's regional report, CSV and JSON, into the report bucket. Reads the table
 * (never writes it) and writes only to the bucket.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { loadConfig } from '../../shared/config.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';
import { exportMonth, monthToExport } from '../../shared/reporting/monthly-export.ts';
import { principalRegister } from '../../shared/reporting/principals.ts';
import { s3ReportSink } from '../../shared/reporting/sinks.ts';
import { storesFor } from '../../shared/store/from-config.ts';

const config = loadConfig();
const bucket = config.reportBucket ?? '';
if (!bucket) throw new Error('REPORT_BUCKET is not set');
const { reports } = storesFor(config);
const register = principalRegister(config.reportPrincipals);
const sink = s3ReportSink(new S3Client({}), bucket);

/** What the schedule sends: `{"scheduledTime": "<aws.scheduler.scheduled-time>"}`; `month` for a run by hand. */
export interface ReportExportEvent {
  scheduledTime?: string;
  month?: string;
}

async function run(event: ReportExportEvent) {
  const month = monthToExport(event ?? {}, new Date());
  const result = await exportMonth({ reports, register, sink, month });
  logger.info('regional report exported', { month, ...result });
  if (result.unregisteredPrincipals > 0) {
    // Figures of principals missing from REPORT_PRINCIPALS are left out: someone should add them.
    logger.warn('principals missing from the report register', { count: result.unregisteredPrincipals });
  }
  metrics.addMetric('ReportUnregisteredPrincipals', MetricUnit.Count, result.unregisteredPrincipals);
  metrics.publishStoredMetrics();
  return { month, keys: result.keys };
}

export const handler = middy<ReportExportEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(run);
