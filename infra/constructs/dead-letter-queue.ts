/**
 * A dead-letter queue and the alarm that watches it, made together so no DLQ of the service goes unwatched:
 * a message here is a reminder or a deadline check that gave up, and someone has to look. The alarm tells
 * the operators' topic.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** Encrypts the messages: dead letters carry what the live ones did, recipients' addresses included. */
  encryptionKey: IKey;
  /** What landing here means, for whoever the alarm wakes. */
  description: string;
  /** Where the alarm goes: the operators' topic. */
  alarmTopic: ITopic;
}

export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      // The longest SQS allows: time to find the cause and redrive. Standard queues expire a message by its
      // first enqueue time, so this must outlast the source queue's retention.
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    const queue = Validations.of(this.queue);
    queue.acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue (of a queue’s redrive, a Lambda on-failure destination or a schedule’s target); cdk-nag recognises only the first kind.',
    });
    queue.acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is itself a dead-letter queue: a message here has already given up, and is kept 14 days under an alarm for someone to look at and redrive; passing it on to another queue would only hide it.',
    });

    this.alarm = new Alarm(this, 'Alarm', {
      alarmDescription: props.description,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // SQS reports nothing for an idle queue; an empty DLQ is the healthy state, not an unknown one.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
