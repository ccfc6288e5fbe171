/**
 * The audit log in its own DynamoDB table. Append-only: entries are put with a condition that nothing is
 * there yet and never updated or deleted — the functions hold no grant that could, and the table's
 * resource policy denies it to everyone. An entry of a write goes into the write's own transaction, so a
 * change is never stored without its entry; an entry of a read is put before the answer leaves.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../audit/entry.ts';
import { keys } from './keys.ts';
import type { TransactItem } from './plan-store.ts';
import { AUDIT_TABLE } from './table.ts';

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** The entry as an item of a plan write's transaction. */
  write(entry: AuditEntry): TransactItem;
  /** A plan's entries, oldest first; `after` continues after the entry with that sort key. */
  forPlan(
    planId: string,
    options: { limit: number; after?: string | undefined },
  ): Promise<{ items: AuditEntry[]; last?: string | undefined }>;
}

export function createAuditLog(client: DynamoDBDocumentClient, tableName: string): AuditLog {
  const put = (entry: AuditEntry) => ({
    TableName: tableName,
    Item: { ...keys.auditEntry(entry), entry },
    ConditionExpression: 'attribute_not_exists(#pk)',
    ExpressionAttributeNames: { '#pk': AUDIT_TABLE.partitionKey },
  });
  return {
    async record(entry) {
      try {
        await client.send(new PutCommand(put(entry)));
      } catch (error) {
        // The key is the request's own (time and request id): if it exists, this entry is already there.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
    write: (entry) => ({ Put: put(entry) }),
    async forPlan(planId, { limit, after }) {
      const pk = keys.auditPartition(planId);
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': AUDIT_TABLE.partitionKey },
          ExpressionAttributeValues: { ':pk': pk },
          ...(after && {
            ExclusiveStartKey: { [AUDIT_TABLE.partitionKey]: pk, [AUDIT_TABLE.sortKey]: after },
          }),
          Limit: limit,
        }),
      );
      return {
        items: Items.map((item) => item.entry as AuditEntry),
        last: LastEvaluatedKey ? String(LastEvaluatedKey[AUDIT_TABLE.sortKey]) : undefined,
      };
    },
  };
}
