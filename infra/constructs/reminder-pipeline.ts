/**
 * The reminder pipeline: a schedule runs the deadline check every 15 minutes; the check hands each due
 * reminder to a queue; the notify function delivers it by e-mail (SES) or SMS (SNS). Every step that can
 * give up ends in a dead-letter queue with an alarm on it, so no deadline passes unnoticed in silence.
 */
import { fileURLToPath } from 'node:url';
import { ArnFormat, type CfnElement, Duration, Fn, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, Universal } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAX_RECEIVES, REDRIVE_EVERY_HOURS } from '../../shared/reminders/retry.ts';
import type { TABLE } from '../../shared/store/table.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { grantSend, sendOnlyDestination } from './queue-send.ts';
import { scheduleRole } from './schedule-role.ts';
import { SipFunction } from './sip-function.ts';

const CHECK_HANDLER = fileURLToPath(new URL('../../functions/deadline-check/handler.ts', import.meta.url));
const NOTIFY_HANDLER = fileURLToPath(new URL('../../functions/notify/handler.ts', import.meta.url));

/** A check reads only what is due, but a backlog after an outage may take a while. */
const CHECK_TIMEOUT = Duration.minutes(5);
/** One batch of at most ten messages, each an SES or SNS call and a ledger write or two. */
const NOTIFY_TIMEOUT = Duration.seconds(30);
const NOTIFY_BATCH_SIZE = 10;

export interface ReminderPipelineProps {
  /** The plan table: the due-time index, the plans and the delivery ledger. */
  table: ITableV2;
  /** Encrypts the queues and the logs: reminders carry the recipient's e-mail address or phone number. */
  key: IKey;
  /** The SES-verified sender address, as an address or as its domain. */
  emailFrom: string;
  /** The case workers' app, where reminder links point. */
  appBaseUrl: string;
  /** Where the dead-letter alarms go. */
  alarmTopic: ITopic;
}

/** The check finds what is due through the due-time index; it queries no other. */
const CHECK_INDEXES = ['dueByTime'] as const satisfies readonly (keyof typeof TABLE.indexes)[];

export class ReminderPipeline extends Construct {
  readonly checkFunction: SipFunction;
  readonly notifyFunction: SipFunction;
  readonly queue: Queue;
  readonly schedule: Schedule;
  /** Moves the reminder queue's dead letters back into it, every few hours. */
  readonly redriveSchedule: Schedule;
  /** Every dead-letter queue of the pipeline, each with its alarm. */
  readonly deadLetterQueues: DeadLetterQueue[];

  constructor(scope: Construct, id: string, props: ReminderPipelineProps) {
    super(scope, id);
    const { table, key, emailFrom, appBaseUrl, alarmTopic } = props;
    const stack = Stack.of(this);

    const reminderDeadLetters = new DeadLetterQueue(this, 'ReminderDeadLetters', {
      encryptionKey: key,
      alarmTopic,
      description: `A reminder could not be delivered in ${MAX_RECEIVES} tries over more than a day: it is moved back to the reminder queue every ${REDRIVE_EVERY_HOURS} hours, but its deadline may pass unnoticed.`,
    });
    this.queue = new Queue(this, 'ReminderQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      // AWS's advice for Lambda consumers: six times the function's timeout, so retries of a slow batch
      // do not overlap it.
      visibilityTimeout: Duration.seconds(6 * NOTIFY_TIMEOUT.toSeconds()),
      // An SES or SNS outage of up to a day loses nothing: notify backs off (15 min doubling to 6 h, see
      // shared/reminders/retry.ts), and ten receives span more than a day before the dead-letter queue.
      deadLetterQueue: { queue: reminderDeadLetters.queue, maxReceiveCount: MAX_RECEIVES },
      retentionPeriod: Duration.days(14),
    });

    // Failures of the check itself: a run that failed with its retries, or one the schedule could not start.
    // Missing one run loses nothing (the next looks for everything due up to then), but repeated failures
    // mean no reminders at all.
    const checkFailures = new DeadLetterQueue(this, 'CheckFailures', {
      encryptionKey: key,
      alarmTopic,
      description: 'The deadline check failed three times in a row: no reminders go out while it does.',
    });
    const scheduleDeadLetters = new DeadLetterQueue(this, 'ScheduleDeadLetters', {
      encryptionKey: key,
      alarmTopic,
      description: 'EventBridge Scheduler could not invoke the deadline check.',
    });
    this.deadLetterQueues = [reminderDeadLetters, checkFailures, scheduleDeadLetters];

    this.checkFunction = new SipFunction(this, 'DeadlineCheckFunction', {
      entry: CHECK_HANDLER,
      logEncryptionKey: key,
      timeout: CHECK_TIMEOUT,
      environment: { REMINDER_QUEUE_URL: this.queue.queueUrl },
      // The schedule invokes asynchronously: Lambda retries a failed run, then parks the event.
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: sendOnlyDestination(checkFailures.queue),
    });
    Validations.of(this.checkFunction.function).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        'Only the schedule invokes this function asynchronously, and its failed events go to an on-failure destination (the CheckFailures queue, alarmed) after two retries: the successor of a DLQ, which AWS recommends and which records the error too.',
    });
    Validations.of(this.checkFunction.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed asynchronous invocations go to an on-failure destination (the CheckFailures queue, alarmed) after two retries, which replaces a DLQ.',
    });
    // Queries the due-time index, reads plans and writes them back in transactions.
    this.checkFunction.bindTable({ table, accessMode: 'readWrite', indexes: CHECK_INDEXES });
    grantSend(this.queue, this.checkFunction.function);

    this.notifyFunction = new SipFunction(this, 'NotifyFunction', {
      entry: NOTIFY_HANDLER,
      logEncryptionKey: key,
      timeout: NOTIFY_TIMEOUT,
      environment: { EMAIL_FROM: emailFrom, APP_BASE_URL: appBaseUrl },
    });
    // The delivery ledger: a conditional put per delivery makes each reminder go out once. No index.
    this.notifyFunction.bindTable({ table, accessMode: 'readWrite' });
    Validations.of(this.notifyFunction.function).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason: `Invoked only by the reminder queue’s event source mapping, never asynchronously: a message that keeps failing goes to the queue’s own dead-letter queue (ReminderDeadLetters, alarmed) after ${MAX_RECEIVES} receives.`,
    });
    Validations.of(this.notifyFunction.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked only by the reminder queue’s event source mapping: failures go to the queue’s redrive dead-letter queue (ReminderDeadLetters, alarmed), not to a function DLQ.',
    });
    this.notifyFunction.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: NOTIFY_BATCH_SIZE,
        // A failed message is retried alone, not with the nine that were delivered.
        reportBatchItemFailures: true,
        // Bursts wait in the queue rather than run into SES's and SNS's sending rates and fail.
        maxConcurrency: 5,
      }),
    );
    Validations.of(this.notifyFunction.function).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: `Lambda supports on-failure destinations for stream and Kafka sources only; for an SQS source the queue’s redrive policy is the destination (ReminderDeadLetters after ${MAX_RECEIVES} receives, alarmed).`,
    });
    // The handler backs off a failed send by the message's visibility timeout. (A night-time SMS is held in
    // the table, not in the queue.)
    this.queue.grant(this.notifyFunction.function, 'sqs:ChangeMessageVisibility');

    // SES authorises a send against the sender's identity: the address, or its domain when the domain is
    // the verified identity. Both ARNs, and only with this From address. (In the SES sandbox SES also
    // checks the recipients' identities, which this policy does not grant: production access is needed.)
    const identityArn = (identity: string) =>
      stack.formatArn({
        service: 'ses',
        resource: 'identity',
        resourceName: identity,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    this.notifyFunction.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [identityArn(emailFrom), identityArn(Fn.select(1, Fn.split('@', emailFrom)))],
        conditions: { StringEquals: { 'ses:FromAddress': emailFrom } },
      }),
    );
    // SNS has no ARN for a phone number: publishing an SMS directly can only be granted on '*' — the one
    // wildcard resource of the stack. It is held to this region, where the account's SMS settings and
    // spending limit apply.
    this.notifyFunction.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['sns:Publish'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': stack.region } },
      }),
    );
    // Nearer the policy than SipFunction's acknowledgement of X-Ray's wildcard, so it wins and says both.
    Validations.of(this.notifyFunction.role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Two actions accept only "*": sns:Publish to a phone number (SMS has no ARN; held to this region by aws:RequestedRegion) and X-Ray’s PutTraceSegments/PutTelemetryRecords (no resource-level permissions).',
    });

    const schedulerRole = scheduleRole(this, key, 'invoke the check, send to its DLQ, that DLQ’s key');

    this.schedule = new Schedule(this, 'DeadlineCheckSchedule', {
      description: 'Runs the SIP deadline check every 15 minutes',
      // On the quarter hours of Stockholm time, whatever the daylight-saving offset. (CDK's list of zones
      // lacks Stockholm, which tzdata now keeps as a link; Scheduler accepts the name.)
      schedule: ScheduleExpression.cron({ minute: '0/15', timeZone: TimeZone.of('Europe/Stockholm') }),
      target: new LambdaInvoke(this.checkFunction.function, {
        role: schedulerRole,
        retryAttempts: 3,
        // Any later and the next run, which does the same work, is due.
        maxEventAge: Duration.minutes(15),
        deadLetterQueue: scheduleDeadLetters.queue,
      }),
    });
    // The schedule may fire as soon as it exists: its role's grants (the policy) come first.
    this.schedule.node.addDependency(schedulerRole);

    // What gave up in the reminder queue goes back to it on a schedule (SQS's own DLQ redrive): a longer
    // outage costs a delay, never the reminder. The ledger keeps a redriven message from going twice.
    const redrive = new Construct(this, 'Redrive');
    const redriveRole = scheduleRole(
      redrive,
      key,
      'move messages from the reminder DLQ back to the queue, that DLQ’s key',
    );
    this.redriveSchedule = new Schedule(redrive, 'RedriveSchedule', {
      description: 'Moves undelivered reminders from their dead-letter queue back to the reminder queue',
      schedule: ScheduleExpression.rate(Duration.hours(REDRIVE_EVERY_HOURS)),
      target: new Universal({
        service: 'sqs',
        action: 'startMessageMoveTask',
        input: ScheduleTargetInput.fromObject({
          SourceArn: reminderDeadLetters.queue.queueArn,
          DestinationArn: this.queue.queueArn,
        }),
        role: redriveRole,
        retryAttempts: 3,
        deadLetterQueue: scheduleDeadLetters.queue,
        policyStatements: [
          new PolicyStatement({
            actions: [
              'sqs:StartMessageMoveTask',
              'sqs:ReceiveMessage',
              'sqs:DeleteMessage',
              'sqs:GetQueueAttributes',
            ],
            resources: [reminderDeadLetters.queue.queueArn],
          }),
          new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
        ],
      }),
    });
    this.redriveSchedule.node.addDependency(redriveRole);
    // LambdaInvoke grants the function and its qualified ARNs; the wildcard stands for this function's
    // versions and aliases only.
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.checkFunction.function.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason:
        'The wildcard is the deadline check function’s own qualifier (its versions and aliases), added by CDK’s LambdaInvoke target; the role may invoke no other function.',
    });
  }
}
