/**
 * The delivery ledger: one item per reminder delivery, claimed with a conditional write before sending and
 * marked sent after. A message that arrives twice finds the claim and is not sent again.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';

/**
 * `claimed`: first to deliver. `sent`: already delivered — skip. `inProgress`: another delivery claimed it
 * moments ago and may be sending now — try later. `interrupted`: claimed long enough ago that the delivery
 * must have died, either side of the send; the caller sends again, through a channel that names each
 * message by its delivery id.
 */
export type Claim = 'claimed' | 'sent' | 'inProgress' | 'interrupted';

/** A claim older than this belongs to a delivery that died (the queue's visibility timeout is 180 s). */
export const CLAIM_EXPIRES_MS = 180_000;

export interface DeliveryLedger {
  claim(planId: string, deliveryId: string, now: Date): Promise<Claim>;
  markSent(planId: string, deliveryId: string, now: Date): Promise<void>;
}

export function createDeliveryLedger(client: DynamoDBDocumentClient, tableName: string): DeliveryLedger {
  return {
    async claim(planId, deliveryId, now) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...keys.delivery(planId, deliveryId),
              kind: 'delivery',
              state: 'sending',
              claimedAt: now.toISOString(),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'claimed';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const { Item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: keys.delivery(planId, deliveryId),
            ConsistentRead: true,
          }),
        );
        if (Item?.state === 'sent') return 'sent';
        const age = now.getTime() - new Date(String(Item?.claimedAt)).getTime();
        return age < CLAIM_EXPIRES_MS ? 'inProgress' : 'interrupted';
      }
    },
    async markSent(planId, deliveryId, now) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.delivery(planId, deliveryId),
            kind: 'delivery',
            state: 'sent',
            sentAt: now.toISOString(),
          },
        }),
      );
    },
  };
}
