/**
 * Delivers reminders from the SQS queue by e-mail (SES) and SMS (SNS). A message that fails (SES or SNS
 * refuses or is down) is tried again with a growing delay (`retryDelaySeconds`), long enough together to
 * outlast an outage of a day; after the last try it lands in the dead-letter queue, which the stack redrives
 * into the queue on a schedule. An SMS at night is held in the table (the reminder book) until 08:00.
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
import { retryDelaySeconds } from '../../shared/reminders/retry.ts';
import { stillDue } from '../../shared/reminders/still-due.ts';
import { storesFor } from '../../shared/store/from-config.ts';

const config = loadConfig();
const emailFrom = config.emailFrom ?? '';
const appBaseUrl = config.appBaseUrl ?? '';
if (!emailFrom || !appBaseUrl) throw new Error('EMAIL_FROM and APP_BASE_URL must be set');
const { plans, deliveries: ledger, book } = storesFor(config);
const isStillDue = stillDue(plans, config.deadlineSettings);
const channel = awsChannel({ emailFrom });
const sqs = new SQSClient({});

async function notify(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const message = ReminderMessage.parse(JSON.parse(record.body));
      await deliverReminder(message, {
        ledger,
        channel,
        appBaseUrl,
        sender: emailFrom,
        now: new Date(),
        isStillDue,
        hold: (held, until) => book.hold(held, until),
      });
    } catch (error) {
      logger.error('reminder delivery failed', {
        messageId: record.messageId,
        // The name and code only: SES and SNS messages can quote the address or number.
        error: (error as Error)?.name,
        code: (error as { Code?: string })?.Code,
      });
      // Back off: the n-th failed receive waits retryDelaySeconds(n) before the next.
      const receives = Number(record.attributes.ApproximateReceiveCount ?? 1);
      await sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrlOf(record.eventSourceARN),
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: retryDelaySeconds(receives),
          }),
        )
        // Without the back-off the queue's own visibility timeout applies: still retried, only sooner.
        .catch(() => undefined);
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
