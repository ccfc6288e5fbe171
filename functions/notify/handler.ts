/**
 * Delivers reminders from the SQS queue by e-mail (SES) and SMS (SNS). A message that fails is retried by
 * SQS and, after the last try, lands in the dead-letter queue; an SMS at night waits until 08:00.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfig } from '../../shared/config.ts';
import { logger } from '../../shared/observability/powertools.ts';
import { awsChannel } from '../../shared/reminders/channels.ts';
import { ReminderMessage } from '../../shared/reminders/message.ts';
import { deliverReminder } from '../../shared/reminders/notify.ts';
import { stillDue } from '../../shared/reminders/still-due.ts';
import { storesFor } from '../../shared/store/from-config.ts';

const config = loadConfig();
const emailFrom = process.env.EMAIL_FROM ?? '';
const appBaseUrl = process.env.APP_BASE_URL ?? '';
if (!emailFrom || !appBaseUrl) throw new Error('EMAIL_FROM and APP_BASE_URL must be set');
const { plans, deliveries: ledger } = storesFor(config);
const isStillDue = stillDue(plans, config.deadlineSettings);
const channel = awsChannel({ emailFrom });
const sqs = new SQSClient({});

/** SQS keeps a message invisible for at most 12 hours. */
const MAX_VISIBILITY_SECONDS = 12 * 3600;

async function notify(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const message = ReminderMessage.parse(JSON.parse(record.body));
      const delivery = await deliverReminder(message, {
        ledger,
        channel,
        appBaseUrl,
        sender: emailFrom,
        now: new Date(),
        isStillDue,
      });
      if (delivery.outcome === 'deferred') {
        // A message may stay hidden at most 12 hours after it was received (one autumn night is longer).
        const received = Number(record.attributes.ApproximateFirstReceiveTimestamp ?? Date.now());
        const budget = MAX_VISIBILITY_SECONDS - Math.ceil((Date.now() - received) / 1000) - 60;
        const seconds = Math.max(
          0,
          Math.min(budget, Math.ceil((delivery.until.getTime() - Date.now()) / 1000)),
        );
        const queueUrl = queueUrlOf(record.eventSourceARN);
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: seconds,
          }),
        );
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    } catch (error) {
      logger.error('reminder delivery failed', {
        messageId: record.messageId,
        // The name and code only: SES and SNS messages can quote the address or number.
        error: (error as Error)?.name,
        code: (error as { Code?: string })?.Code,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

/** `arn:aws:sqs:<region>:<account>:<name>` → the queue's URL. */
function queueUrlOf(arn: string): string {
  const [, , , region, account, name] = arn.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(notify);
