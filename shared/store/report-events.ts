/**
 * The reporting record in the table: the events of every plan write (a companion, in the write's own
 * transaction) and the closing states of each month that is over. Exports Query a month's partition —
 * for one principal, only its part of it — so what they read is the period's events and nothing else.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ReportEvent, reportEventsOf, type TimedStates, timedStateEvents } from '../reporting/events.ts';
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
  /** A plan's timed states as last counted, with the count of changes so far (none yet: `undefined`). */
  countedTimedStates(planId: string): Promise<{ states: TimedStates; seq: number } | undefined>;
  /**
   * Counts a change of a plan's timed states: the events and the new counted states in one transaction,
   * conditional on the counted states being still those read (`seq`), so a change is counted once.
   * Returns false when another run counted first.
   */
  countTimedStates(
    planId: string,
    counted: { states: TimedStates; seq: number } | undefined,
    fallback: TimedStates,
    current: TimedStates,
    at: Date,
  ): Promise<boolean>;
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
    async countedTimedStates(planId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.timedStates(planId), ConsistentRead: true }),
      );
      return Item && { states: Item.states as TimedStates, seq: Number(Item.seq) };
    },
    async countTimedStates(planId, counted, fallback, current, at) {
      const events = timedStateEvents(counted?.states ?? fallback, current, at);
      const seq = (counted?.seq ?? 0) + 1;
      const same = (a: TimedStates, b: TimedStates) => JSON.stringify(a) === JSON.stringify(b);
      // Nothing counted changes, and the counted states are already on record: nothing to write.
      if (events.length === 0 && counted && same(counted.states, current)) return true;
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...keys.timedStates(planId), kind: 'timedStates', states: current, seq },
                  ...(counted
                    ? {
                        ConditionExpression: '#seq = :seq',
                        ExpressionAttributeNames: { '#seq': 'seq' },
                        ExpressionAttributeValues: { ':seq': counted.seq },
                      }
                    : {
                        ConditionExpression: 'attribute_not_exists(#pk)',
                        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
                      }),
                },
              },
              ...events.map((event) => ({
                Put: {
                  TableName: tableName,
                  Item: {
                    ...keys.reportTimedEvent(monthOf(at), event.principal, event.at, planId, seq),
                    kind: 'reportEvent',
                    event,
                  },
                },
              })),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      }
    },
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
