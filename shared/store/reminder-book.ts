/**
 * The reminder book: the service's own bookkeeping of each plan's reminders, in items beside the plan —
 * never in it, so the check never changes a plan's version, ETag or history. One item per reminder (a
 * deadline's stage) or delivery handled, and one per message held back until it may go (an SMS in the
 * quiet hours), which sits in the due-time index so that the check hands it on again when its time comes.
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ReminderRecord } from '../domain/deadlines/record.ts';
import type { ReminderMessage } from '../reminders/message.ts';
import { keys } from './keys.ts';
import { TABLE } from './table.ts';

export interface HeldMessage {
  message: ReminderMessage;
  /** UTC ISO: when it may go. */
  until: string;
}

export interface ReminderBook {
  /** What the check has handled for the plan: sent, superseded or undeliverable. */
  handled(planId: string): Promise<ReminderRecord[]>;
  /** Records handled reminders. Idempotent: recording the same reminder again changes nothing that counts. */
  record(planId: string, records: ReminderRecord[]): Promise<void>;
  /** Holds a message until `until`: persisted, so it survives any restart. */
  hold(message: ReminderMessage, until: Date): Promise<void>;
  /** A held message, if it is still held. */
  held(planId: string, sk: string): Promise<HeldMessage | undefined>;
  /** Lets a held message go, unless it was held again meanwhile (for a later moment). */
  release(planId: string, sk: string, until: string): Promise<void>;
}

export function createReminderBook(client: DynamoDBDocumentClient, tableName: string): ReminderBook {
  return {
    async handled(planId) {
      const records: ReminderRecord[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
            ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
            ExpressionAttributeValues: { ':pk': keys.plan(planId).pk, ':prefix': keys.reminderPrefix },
            ConsistentRead: true,
            ...(start && { ExclusiveStartKey: start }),
          }),
        );
        for (const item of page.Items ?? []) records.push(item.record as ReminderRecord);
        start = page.LastEvaluatedKey;
      } while (start);
      return records;
    },

    async record(planId, records) {
      // Transactions of puts rather than a batch write: the functions hold no BatchWriteItem, and a
      // plan's records of one run are few (a transaction takes 100).
      for (let i = 0; i < records.length; i += 100) {
        await client.send(
          new TransactWriteCommand({
            TransactItems: records.slice(i, i + 100).map((record) => ({
              Put: {
                TableName: tableName,
                Item: { ...keys.reminder(planId, record.id), kind: 'reminder', record },
              },
            })),
          }),
        );
      }
    },

    async hold(message, until) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.held(message.planId, message.deliveryId),
            ...keys.dueIndex(message.planId, until),
            kind: 'held',
            until: until.toISOString(),
            message,
          },
        }),
      );
    },

    async held(planId, sk) {
      const { Item: item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { pk: keys.plan(planId).pk, sk }, ConsistentRead: true }),
      );
      return item && { message: item.message as ReminderMessage, until: String(item.until) };
    },

    async release(planId, sk, until) {
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { pk: keys.plan(planId).pk, sk },
            ConditionExpression: '#until = :until',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: { ':until': until },
          }),
        );
      } catch (error) {
        // Held again for later while it was being handed on: that hold stands.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
