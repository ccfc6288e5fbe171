/**
 * The reporting record in the table: the events of every plan write (a companion, in the write's own
 * transaction) and the closing states of each month that is over. Exports Query a month's partition —
 * for one principal, only its part of it — so what they read is the period's events and nothing else.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ReportEvent, reportEventsOf } from '../reporting/events.ts';
import { monthOf } from '../reporting/period.ts';
import type { Balance } from '../reporting/tally.ts';
import { keys } from './keys.ts';
import type { Companion } from './plan-store.ts';
import { TABLE } from './table.ts';

/** The events of a plan write, one item each, under the month in which the write was recorded. */
export const reportEventWrites: Companion = ({ plan, previous }, tableName) =>
  reportEventsOf(previous, plan).map((event) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...keys.reportEvent(
          monthOf(new Date(event.at)),
          event.principal,
          event.at,
          plan.planId,
          plan.version,
        ),
        kind: 'reportEvent',
        event,
      },
    },
  }));

export interface ReportStore {
  /** A month's events, a page at a time: every principal's, or one principal's. */
  events(month: string, principal?: string): AsyncIterable<ReportEvent[]>;
  /** Whether a month has any event at all (reads at most one). */
  hasEvents(month: string): Promise<boolean>;
  /** A month's closing states, once they are written. */
  closing(month: string): Promise<Balance | undefined>;
  /** Writes a month's closing states, unless they are there already (they never change). */
  putClosing(month: string, balance: Balance): Promise<void>;
}

export function createReportStore(client: DynamoDBDocumentClient, tableName: string): ReportStore {
  const query = (
    month: string,
    principal: string | undefined,
    start?: Record<string, unknown>,
    limit?: number,
  ) =>
    client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
        ExpressionAttributeValues: {
          ':pk': keys.reportMonthPartition(month),
          ':prefix': keys.reportEventPrefix(principal),
        },
        ...(start && { ExclusiveStartKey: start }),
        ...(limit && { Limit: limit }),
      }),
    );
  return {
    async *events(month, principal) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await query(month, principal, start);
        yield (page.Items ?? []).map((item) => item.event as ReportEvent);
        start = page.LastEvaluatedKey;
      } while (start);
    },
    async hasEvents(month) {
      const page = await query(month, undefined, undefined, 1);
      return (page.Items ?? []).length > 0;
    },
    async closing(month) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.reportClosing(month) }),
      );
      return Item?.balance as Balance | undefined;
    },
    async putClosing(month, balance) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.reportClosing(month), kind: 'reportClosing', balance },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
          }),
        );
      } catch (error) {
        // Written already (by an earlier or a concurrent run): from the same events, so the same states.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
