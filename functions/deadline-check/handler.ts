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
import { storesFor } from '../../shared/store/from-config.ts';

const config = loadConfig();
const queueUrl = process.env.REMINDER_QUEUE_URL ?? '';
if (!queueUrl) throw new Error('REMINDER_QUEUE_URL is not set');
const { plans } = storesFor(config);
const queue = sqsQueue(new SQSClient({}), queueUrl);

async function check(): Promise<void> {
  const result = await runDeadlineCheck({
    plans,
    queue,
    settings: config.deadlineSettings,
    now: new Date(),
    // The plan's id and the error's name only: messages of SDK errors can quote addresses.
    onPlanFailure: (planId, error) =>
      logger.error('deadline check failed for a plan', { planId, error: (error as Error)?.name }),
  });
  logger.info('deadline check', { ...result });
  metrics.addMetric('RemindersQueued', MetricUnit.Count, result.reminders);
  metrics.addMetric('ReminderConflicts', MetricUnit.Count, result.conflicts);
  metrics.addMetric('DeadlineCheckFailures', MetricUnit.Count, result.failed);
  metrics.addMetric('RemindersUndeliverable', MetricUnit.Count, result.undeliverable);
  metrics.publishStoredMetrics();
}

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(check);
