/**
 * The table's shape, defined once: the CDK stack builds the real table from it and the local runtime and
 * tests create the same table in DynamoDB Local from it.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /**
   * Items that expire (idempotency records after 24 hours) carry their end in this attribute, in epoch
   * seconds; DynamoDB deletes them some time after. Readers check it themselves, as deletion lags.
   */
  timeToLive: 'expiresAt',
  indexes: {
    /** An organisation's plans by status: backs `GET /plans?status=…` without a Scan. */
    plansByOrganisationStatus: { partitionKey: 'byOrgStatusPk', sortKey: 'byOrgStatusSk', projection: 'ALL' },
    /**
     * Sparse and sharded: one entry per plan that has a reminder left, keyed by when it is next due. The
     * deadline check reads only what is due, so its cost follows the number of due reminders, not of plans.
     */
    dueByTime: { partitionKey: 'dueShard', sortKey: 'dueAt', projection: 'KEYS_ONLY' },
  },
} as const;

/**
 * The audit log's own table: append-only (the functions may only put and query it), never expiring, so
 * that the log extract HSLF-FS 2016:40 asks for can be produced for years. Entries of a plan share its
 * partition (`PLAN#<planId>`), sorted by time; entries that concern no plan (lists) go under the caller's
 * organisation and month (`ORG#<orgId>#<yyyy-mm>`).
 */
export const AUDIT_TABLE = { partitionKey: 'pk', sortKey: 'sk', indexes: {} } as const;

/** CreateTable input for DynamoDB Local (on-demand billing, like the stack). */
export function createTableInput(
  tableName: string,
  shape: typeof TABLE | typeof AUDIT_TABLE = TABLE,
): CreateTableCommandInput {
  const indexes = Object.entries(
    shape.indexes as Record<string, (typeof TABLE.indexes)[keyof typeof TABLE.indexes]>,
  );
  const attributes = [
    shape.partitionKey,
    shape.sortKey,
    ...indexes.flatMap(([, i]) => [i.partitionKey, i.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: shape.partitionKey, KeyType: 'HASH' },
      { AttributeName: shape.sortKey, KeyType: 'RANGE' },
    ],
    ...(indexes.length > 0 && {
      GlobalSecondaryIndexes: indexes.map(([name, index]) => ({
        IndexName: name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.projection },
      })),
    }),
  };
}
