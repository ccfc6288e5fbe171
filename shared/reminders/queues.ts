/** The hand-off between the check and delivery: SQS in AWS; in the local runtime, delivery in-process. */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReminderQueue } from './check.ts';
import type { ReminderMessage } from './message.ts';

export function sqsQueue(client: SQSClient, queueUrl: string): ReminderQueue {
  return {
    async send(messages) {
      for (let i = 0; i < messages.length; i += 10) {
        const batch = messages.slice(i, i + 10);
        const { Failed = [] } = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((message, n) => ({ Id: String(n), MessageBody: JSON.stringify(message) })),
          }),
        );
        // Fail the check for this plan: nothing is recorded, and the next run hands the reminders on again.
        if (Failed.length > 0)
          throw new Error(`SQS refused ${Failed.length} of ${batch.length} reminder messages`);
      }
    },
  };
}

/**
 * Delivers each message as it is handed on. A message held back (an SMS at night) is persisted by the
 * delivery itself and handed on again by the check: no timer holds anything.
 */
export function inProcessQueue(deliver: (message: ReminderMessage) => Promise<unknown>): ReminderQueue {
  return {
    async send(messages) {
      for (const message of messages) await deliver(message);
    },
  };
}
