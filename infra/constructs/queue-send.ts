/**
 * Sending to a KMS-encrypted queue, granted exactly. CDK's `grantSendMessages` (and `SqsDestination`, which
 * uses it) also grant the key's `kms:ReEncrypt*` and `kms:GenerateDataKey*` families and the queue's
 * attributes; an SQS producer needs only `sqs:SendMessage` (which covers batches), a data key and decrypt.
 */
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IDestination } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

export function grantSend(queue: IQueue, grantee: IGrantable): void {
  queue.grant(grantee, 'sqs:SendMessage');
  queue.encryptionMasterKey?.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
}

/** A Lambda on-failure destination on `queue`: the function's role may send to it, and no more. */
export function sendOnlyDestination(queue: IQueue): IDestination {
  return {
    bind: (_scope, fn) => {
      grantSend(queue, fn);
      return { destination: queue.queueArn };
    },
  };
}
