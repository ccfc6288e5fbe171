/**
 * Idempotency records (the IETF HTTP `Idempotency-Key` draft): the first answer to a write made with a key,
 * kept for 24 hours so that a retry gets the same answer and writes nothing. The record is written in the
 * write's own transaction — `recordWrite` gives its item — so a crash can neither keep a write without its
 * record nor a record without its write. Powertools' idempotency utility writes its record apart from the
 * write it guards, which is exactly the gap this closes.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import type { TransactItem } from './plan-store.ts';
import { TABLE } from './table.ts';

/** How long a key and its answer are kept. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** Whose key it is: keys are scoped to the caller's organisation and user. */
export interface KeyScope {
  organisationId: string;
  userId: string;
  key: string;
}

/** The answer kept for replay. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface IdempotencyRecord {
  /** A hash of the request (operation, path and body): the same key with another request is refused. */
  fingerprint: string;
  answer: StoredAnswer;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface IdempotencyStore {
  /** The live record of this key, if any (an expired one is as good as none). */
  find(scope: KeyScope, now: Date): Promise<IdempotencyRecord | undefined>;
  /** The item that stores the record, for the write's transaction: it fails if a live record exists. */
  recordWrite(scope: KeyScope, fingerprint: string, answer: StoredAnswer, now: Date): TransactItem;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The hash that keys a record: NUL separates the parts, which none of them can contain. */
const scopedKeyHash = (scope: KeyScope) =>
  sha256([scope.organisationId, scope.userId, scope.key].join('\u0000'));

export function createIdempotencyStore(client: DynamoDBDocumentClient, tableName: string): IdempotencyStore {
  return {
    async find(scope, now) {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.idempotency(scopedKeyHash(scope)),
          ConsistentRead: true,
        }),
      );
      if (!Item || Number(Item[TABLE.timeToLive]) <= now.getTime() / 1000) return undefined;
      return {
        fingerprint: String(Item.fingerprint),
        answer: Item.answer as StoredAnswer,
        expiresAt: Number(Item[TABLE.timeToLive]),
      };
    },

    recordWrite(scope, fingerprint, answer, now) {
      const nowSeconds = Math.floor(now.getTime() / 1000);
      return {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.idempotency(scopedKeyHash(scope)),
            kind: 'idempotency',
            fingerprint,
            answer,
            [TABLE.timeToLive]: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
          },
          // A live record of the same key wins: the request that lost the race replays its answer.
          ConditionExpression: 'attribute_not_exists(pk) OR #expires <= :now',
          ExpressionAttributeNames: { '#expires': TABLE.timeToLive },
          ExpressionAttributeValues: { ':now': nowSeconds },
        },
      };
    },
  };
}
