/**
 * The deadline check, invoked every 15 minutes by EventBridge Scheduler. Each run hands on everything due
 * up to now; a missed or repeated run loses nothing and sends nothing twice.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { loadConfig } from '../../shared/config.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';
import { runDeadlineCheck } from '../../shared/reminders/check.ts';
import { sqsQueue } from '../../shared/reminders/queues.ts';
import { closeReportingMonths } from '../../shared/reporting/balance.ts';
import { storesFor } from '../../shared/store/from-config.ts';

const config = loadConfig();
const queueUrl = config.reminderQueueUrl ?? '';
if (!queueUrl) throw new Error('REMINDER_QUEUE_URL is not set');
const { plans, book, reports } = storesFor(config);
const queue = sqsQueue(new SQSClient({}), queueUrl);

async function check(): Promise<void> {
  const now = new Date();
  const result = await runDeadlineCheck({
    plans,
    book,
    reports,
    queue,
    settings: config.deadlineSettings,
    now,
    // The plan's id and the error's name only: messages of SDK errors can quote addresses.
    onPlanFailure: (planId, error) =>
      logger.error('deadline check failed for a plan', { planId, error: (error as Error)?.name }),
  });
  logger.info('deadline check', { ...result });
  metrics.addMetric('RemindersQueued', MetricUnit.Count, result.reminders);
  metrics.addMetric('HeldRemindersReleased', MetricUnit.Count, result.released);
  metrics.addMetric('DeadlineCheckFailures', MetricUnit.Count, result.failed);
  metrics.addMetric('RemindersUndeliverable', MetricUnit.Count, result.undeliverable);
  // The check is the service's clock: once a month is over, it stores the month's closing report states.
  // A failure here must not cost the reminders; the next run tries again, and exports do without meanwhile.
  try {
    await closeReportingMonths(reports, now);
  } catch (error) {
    logger.error('could not store the closing report states', { error: (error as Error)?.name });
    metrics.addMetric('ReportClosingFailures', MetricUnit.Count, 1);
  }
  metrics.publishStoredMetrics();
}

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(check);
