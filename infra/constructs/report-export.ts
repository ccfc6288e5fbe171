/**
 * The regional report export: on the 1st of every month at 06:00 Stockholm time, a schedule runs the
 * report function, which writes the previous month's report (CSV and JSON, counts only) to the report
 * bucket. The function reads the table and writes that bucket, and nothing else; the schedule retries and
 * dead-letters, and so does the function's own asynchronous invocation, each into an alarmed queue.
 */
import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { sendOnlyDestination } from './queue-send.ts';
import { scheduleRole } from './schedule-role.ts';
import { SipFunction } from './sip-function.ts';

const REPORT_HANDLER = fileURLToPath(new URL('../../functions/report/handler.ts', import.meta.url));

/** Where the exports go in the bucket: `regional/<year>/sip-regional-<from>--<to>.<csv|json>`. */
export const REPORT_PREFIX = 'regional/';

export interface ReportExportProps {
  /** The plan table: the report function reads the reporting record from it. */
  table: ITableV2;
  /** Encrypts the bucket, the queues and the logs. */
  key: IKey;
  /** Where the dead-letter alarms go. */
  alarmTopic: ITopic;
  /** The report register (`REPORT_PRINCIPALS`), as JSON. */
  reportPrincipals: string;
}

export class ReportExport extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly exportFunction: SipFunction;
  readonly schedule: Schedule;
  readonly deadLetterQueues: DeadLetterQueue[];

  constructor(scope: Construct, id: string, props: ReportExportProps) {
    super(scope, id);
    const { table, key, alarmTopic, reportPrincipals } = props;
    const stack = Stack.of(this);

    // Who read and wrote the reports. S3 delivers server access logs only to a bucket encrypted with S3's
    // own keys, which is why this bucket alone is not under the customer-managed key.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [
        {
          id: 'keep-two-years',
          expiration: Duration.days(730),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logs = Validations.of(this.accessLogs);
    logs.acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server access log bucket of the report bucket: logging its own access would log into itself, endlessly. It is private, versioned, TLS-only and written only by the S3 logging service.',
    });
    logs.acknowledge({
      id: 'HIPAA.Security-S3BucketLoggingEnabled',
      reason:
        'This is the server access log bucket of the report bucket: logging its own access would log into itself, endlessly. It is private, versioned, TLS-only and written only by the S3 logging service.',
    });
    logs.acknowledge({
      id: 'HIPAA.Security-S3DefaultEncryptionKMS',
      reason:
        'S3 server access logging delivers only to a target bucket encrypted with SSE-S3, not SSE-KMS. The logs name objects (report periods) and requesters, never plans or persons.',
    });
    const noReplication =
      'Not replicated to another region: the data stays in Sweden. Every report can be produced again from the table (point-in-time recovery, deletion protection), and the bucket is versioned.';
    logs.acknowledge({ id: 'HIPAA.Security-S3BucketReplicationEnabled', reason: noReplication });

    this.bucket = new Bucket(this, 'ReportBucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      // One data key per bucket rather than per object: fewer KMS calls, the same key.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'report-bucket/',
      lifecycleRules: [
        // A closed month's export never changes, so an older version is a repeat: kept a while, then gone.
        { id: 'old-versions', noncurrentVersionExpiration: Duration.days(90) },
        { id: 'unfinished-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        // Read mostly in their first year; kept, more cheaply, after.
        {
          id: 'older-reports',
          transitions: [
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(365) },
          ],
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'HIPAA.Security-S3BucketReplicationEnabled',
      reason: noReplication,
    });

    // A run that failed with its retries, or one the schedule could not start. A missed month is not lost:
    // redriving the event (or invoking with {"month": "YYYY-MM"}) exports the same month, the same bytes.
    const exportFailures = new DeadLetterQueue(this, 'ExportFailures', {
      encryptionKey: key,
      alarmTopic,
      description: 'The monthly report export failed three times: the month’s report is not in the bucket.',
    });
    const scheduleDeadLetters = new DeadLetterQueue(this, 'ScheduleDeadLetters', {
      encryptionKey: key,
      alarmTopic,
      description: 'EventBridge Scheduler could not invoke the monthly report export.',
    });
    this.deadLetterQueues = [exportFailures, scheduleDeadLetters];

    this.exportFunction = new SipFunction(this, 'ReportFunction', {
      entry: REPORT_HANDLER,
      logEncryptionKey: key,
      withReportFormats: true,
      // A month's events a page at a time: minutes at most, even for a large region.
      timeout: Duration.minutes(5),
      environment: { REPORT_BUCKET: this.bucket.bucketName, REPORT_PRINCIPALS: reportPrincipals },
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: sendOnlyDestination(exportFailures.queue),
    });
    const onFailure =
      'Only the monthly schedule invokes this function asynchronously, and its failed events go to an on-failure destination (the ExportFailures queue, alarmed) after two retries: the successor of a DLQ, which records the error too.';
    Validations.of(this.exportFunction.function).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason: onFailure,
    });
    Validations.of(this.exportFunction.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: onFailure,
    });
    // Reads the month partitions of the reporting record: the table itself, no index, never a write.
    this.exportFunction.bindTable({ table, accessMode: 'read' });
    // Writes report files, and only under the report prefix: it may not read, list or delete them.
    this.exportFunction.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${REPORT_PREFIX}*`)],
      }),
    );
    key.grant(this.exportFunction.function, 'kms:GenerateDataKey');
    Validations.of(this.exportFunction.role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/${REPORT_PREFIX}*]`,
      reason:
        'The report files are named by their period (regional/<year>/sip-regional-<from>--<to>.csv), so the function may put objects under that prefix of this one bucket — never read, list or delete them. X-Ray’s PutTraceSegments/PutTelemetryRecords accept only "*".',
    });

    const schedulerRole = scheduleRole(
      this,
      key,
      'invoke the report function, send to its DLQ, that DLQ’s key',
    );

    this.schedule = new Schedule(this, 'MonthlyExportSchedule', {
      description: 'Exports the previous month’s regional SIP report on the 1st at 06:00 Stockholm time',
      schedule: ScheduleExpression.cron({
        minute: '0',
        hour: '6',
        day: '1',
        timeZone: TimeZone.of('Europe/Stockholm'),
      }),
      target: new LambdaInvoke(this.exportFunction.function, {
        role: schedulerRole,
        // The scheduled time, not the time of the run: a retry or a redrive exports the same month.
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: scheduleDeadLetters.queue,
      }),
    });
    this.schedule.node.addDependency(schedulerRole);
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.exportFunction.function.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason:
        'The wildcard is the report function’s own qualifier (its versions and aliases), added by CDK’s LambdaInvoke target; the role may invoke no other function.',
    });
  }
}
