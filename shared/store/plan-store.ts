/**
 * Plans in DynamoDB. A plan write is one unit — the plan, its revision and its companion items — written
 * in one transaction, so that no reader ever sees a plan without its history or its index entries.
 * Later capabilities (the due-time index, reporting events, audit entries) join as companions.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DEFAULT_DEADLINE_SETTINGS, type DeadlineSettings } from '../domain/deadlines/settings.ts';
import { PlanTooLargeError, PreconditionFailedError } from '../domain/errors.ts';
import type { Plan, PlanStatus, Revision } from '../domain/plan.ts';
import type { PlanChange } from '../domain/plan-change.ts';
import type { IdentityReference } from '../privacy/identity-reference.ts';
import { dueEntryWrite, dueIndexWrites } from './due-index.ts';
import { DUE_SHARDS, keys } from './keys.ts';
import { type Listed, membershipWrites } from './memberships.ts';
import { personIndexWrites } from './person-index.ts';
import { reportEventWrites } from './report-events.ts';
import { TABLE } from './table.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One write of a plan, as the one write path (`shared/domain/plan-change.ts`) makes it. */
export type PlanWrite = PlanChange;

/** Items written in the same transaction as every plan write. */
export type Companion = (write: PlanWrite, tableName: string) => TransactItem[];

const BY_ORG_STATUS = 'plansByOrganisationStatus' satisfies keyof typeof TABLE.indexes;

/** DynamoDB's item limit is 400 KB; leave room for attribute names and key overhead. */
const MAX_PLAN_BYTES = 350_000;
/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

export interface PlanStore {
  get(planId: string): Promise<Plan | undefined>;
  save(write: PlanWrite): Promise<void>;
  /**
   * Several plan writes in one transaction: all or nothing (a restart closes one plan and opens another).
   * `also` joins the same transaction: the audit entry of the request that writes, and its idempotency
   * record.
   */
  saveAll(writes: PlanWrite[], also?: TransactItem[]): Promise<void>;
  /** The organisation's memberships, newest plan first; `last` continues after the last one read. */
  listForOrganisation(
    organisationId: string,
    options: { status?: PlanStatus | undefined; limit: number; after?: string | undefined },
  ): Promise<{ items: Listed[]; last?: string | undefined }>;
  /** The ids of an individual's plans, by identity reference (at most 100: one person has a handful). */
  planIdsOf(identityRef: string): Promise<string[]>;
  /** The organisation's memberships of the given plans (those it takes part in), in the order asked. */
  listedFor(organisationId: string, planIds: string[]): Promise<Listed[]>;
  /** Several plans at once, in no particular order (those that exist). */
  getMany(planIds: string[]): Promise<Plan[]>;
  /**
   * Puts a plan's due entry in step with the plan and what the check `handled` of it at `now`, unless the
   * plan was written meanwhile — that write put an entry no later than this one.
   */
  refreshDueEntry(plan: Plan, now: Date, handled: ReadonlySet<string>): Promise<void>;
  /** The ids of the plans with a reminder due at or before `now`, from every shard of the due-time index. */
  duePlanIds(now: Date): Promise<string[]>;
  /** Everything due at or before `now`: plans' due entries and held messages (`sk` tells which). */
  dueItems(now: Date): Promise<{ planId: string; sk: string }[]>;
  revisions(
    planId: string,
    options: { limit: number; after?: number | undefined },
  ): Promise<{ items: Revision[]; last?: number | undefined }>;
}

export function createPlanStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  deadlineSettings: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS,
  /** The identity key's hash: only the API, which creates plans and changes identities, has it. */
  identityReference?: IdentityReference,
): PlanStore {
  // Written with every plan write, in the same transaction.
  const companions: Companion[] = [
    membershipWrites,
    dueIndexWrites(deadlineSettings),
    personIndexWrites(identityReference),
    reportEventWrites,
  ];
  const saveAll = async (writes: PlanWrite[], also: TransactItem[] = []): Promise<void> => {
    const items = [...writes.flatMap((write) => writeItems(write, tableName, companions)), ...also];
    if (items.length > MAX_TRANSACTION_ITEMS) {
      throw new PlanTooLargeError(
        'the plan has more participating organisations than one write can keep in step',
      );
    }
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException && isConditionFailure(error)) {
        throw new PreconditionFailedError('the plan was changed by someone else; read it again and retry');
      }
      throw error;
    }
  };

  const dueItems = async (now: Date) => {
    const index = TABLE.indexes.dueByTime;
    const items: { planId: string; sk: string }[] = [];
    for (let shard = 0; shard < DUE_SHARDS; shard++) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'dueByTime',
            KeyConditionExpression: '#shard = :shard AND #due <= :upTo',
            ExpressionAttributeNames: { '#shard': index.partitionKey, '#due': index.sortKey },
            ExpressionAttributeValues: { ':shard': keys.dueShard(shard), ':upTo': keys.dueUpTo(now) },
            ...(start && { ExclusiveStartKey: start }),
          }),
        );
        for (const item of page.Items ?? [])
          items.push({
            planId: String(item[TABLE.partitionKey]).slice('PLAN#'.length),
            sk: String(item[TABLE.sortKey]),
          });
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return items;
  };

  return {
    async get(planId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.plan(planId), ConsistentRead: true }),
      );
      // Plans are validated on every write, so a read trusts what it finds.
      return Item?.plan as Plan | undefined;
    },

    save: (write) => saveAll([write]),
    saveAll,

    async listForOrganisation(organisationId, { status, limit, after }) {
      const index = TABLE.indexes[BY_ORG_STATUS];
      const query = status
        ? {
            IndexName: BY_ORG_STATUS,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index.partitionKey },
            ExpressionAttributeValues: {
              ':pk': keys.membershipStatusPartition(organisationId, status),
            },
            ...(after && {
              ExclusiveStartKey: {
                ...keys.membership(organisationId, after),
                ...keys.membershipByStatus(organisationId, status, after),
              },
            }),
          }
        : {
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
            ExpressionAttributeValues: { ':pk': keys.membershipPartition(organisationId) },
            ...(after && { ExclusiveStartKey: keys.membership(organisationId, after) }),
          };
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({ TableName: tableName, ...query, Limit: limit, ScanIndexForward: false }),
      );
      const items = Items.map((item) => ({ summary: item.summary, access: item.access }) as Listed);
      return { items, last: LastEvaluatedKey ? items.at(-1)?.summary.planId : undefined };
    },

    async planIdsOf(identityRef) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
          ExpressionAttributeValues: { ':pk': keys.personPartition(identityRef) },
          ScanIndexForward: false,
          Limit: 100,
        }),
      );
      return Items.map((item) => String(item.planId));
    },

    async listedFor(organisationId, planIds) {
      if (planIds.length === 0) return [];
      const read: Record<string, unknown>[] = [];
      let wanted: Record<string, unknown>[] = planIds.map((planId) =>
        keys.membership(organisationId, planId),
      );
      // BatchGetItem may leave keys unprocessed under load: ask again for those, a few times.
      for (let attempt = 0; wanted.length > 0; attempt++) {
        if (attempt === 5) throw new Error('DynamoDB left keys unprocessed five times');
        const { Responses = {}, UnprocessedKeys } = await client.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: wanted } } }),
        );
        read.push(...(Responses[tableName] ?? []));
        wanted = UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
      const found = new Map(
        read.map((item) => [
          (item.summary as Listed['summary']).planId,
          { summary: item.summary, access: item.access } as Listed,
        ]),
      );
      return planIds.flatMap((planId) => found.get(planId) ?? []);
    },

    async getMany(planIds) {
      const found: Plan[] = [];
      for (let i = 0; i < planIds.length; i += 100) {
        let wanted: Record<string, unknown>[] = planIds.slice(i, i + 100).map((id) => keys.plan(id));
        // BatchGetItem may leave keys unprocessed under load: ask again for those, a few times.
        for (let attempt = 0; wanted.length > 0; attempt++) {
          if (attempt === 5) throw new Error('DynamoDB left keys unprocessed five times');
          const { Responses = {}, UnprocessedKeys } = await client.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: wanted, ConsistentRead: true } } }),
          );
          for (const item of Responses[tableName] ?? []) found.push(item.plan as Plan);
          wanted = UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
      }
      return found;
    },

    async refreshDueEntry(plan, now, handled) {
      const items: TransactItem[] = [
        {
          ConditionCheck: {
            TableName: tableName,
            Key: keys.plan(plan.planId),
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': plan.version },
          },
        },
        dueEntryWrite(plan, deadlineSettings, tableName, now, handled),
      ];
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        if (!(error instanceof TransactionCanceledException && isConditionFailure(error))) throw error;
      }
    },

    async duePlanIds(now) {
      const items = await dueItems(now);
      return [
        ...new Set(items.filter((item) => item.sk === keys.dueEntry('').sk).map((item) => item.planId)),
      ];
    },

    dueItems,

    async revisions(planId, { limit, after }) {
      const { pk } = keys.plan(planId);
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
          ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.revisionPrefix },
          ...(after !== undefined && { ExclusiveStartKey: keys.revision(planId, after) }),
          Limit: limit,
        }),
      );
      const items = Items.map((item) => item.revision as Revision);
      return { items, last: LastEvaluatedKey ? items.at(-1)?.version : undefined };
    },
  };
}

/** The items of one plan write: the plan (conditional on the version it started from), its revision, its companions. */
function writeItems(write: PlanWrite, tableName: string, companions: Companion[]): TransactItem[] {
  const { plan, previous, revision } = write;
  if (Buffer.byteLength(JSON.stringify(plan)) > MAX_PLAN_BYTES) {
    throw new PlanTooLargeError('the plan would exceed the size one record can hold; shorten or remove text');
  }
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.plan(plan.planId), kind: 'plan', version: plan.version, plan },
        // Optimistic concurrency: the stored version must still be the one this write started from.
        ConditionExpression: previous ? '#version = :expected' : 'attribute_not_exists(pk)',
        ...(previous && {
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': previous.version },
        }),
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.revision(plan.planId, plan.version), kind: 'revision', revision },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...companions.flatMap((companion) => companion(write, tableName)),
  ];
}

/**
 * A write lost to another write of the same plan: the version condition failed, or (in DynamoDB, not its
 * emulator) a concurrent transaction on the same items cancelled this one. Either way the client re-reads.
 */
function isConditionFailure(error: TransactionCanceledException): boolean {
  return (error.CancellationReasons ?? []).some(
    (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
  );
}
