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

/** Delivers each message as it is handed on; a deferred SMS is delivered again when its time comes. */
export function inProcessQueue(
  deliver: (message: ReminderMessage) => Promise<{ outcome: string; until?: Date }>,
): ReminderQueue {
  return {
    async send(messages) {
      for (const message of messages) {
        const delivery = await deliver(message);
        if (delivery.outcome === 'deferred' && delivery.until) {
          const wait = Math.max(0, delivery.until.getTime() - Date.now());
          setTimeout(
            () => void deliver(message).catch((error) => console.error('delivery failed', error)),
            wait,
          ).unref();
        }
      }
    },
  };
}
