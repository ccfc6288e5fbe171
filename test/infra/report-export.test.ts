/** The monthly report export in the synthesised stack: bucket, function, schedule, retries and DLQs. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_ACTIONS } from '../../infra/constructs/sip-function.ts';
import { SipStack } from '../../infra/sip-stack.ts';
import { monthPeriod } from '../../shared/reporting/period.ts';
import { principalRegister } from '../../shared/reporting/principals.ts';
import { buildReport } from '../../shared/reporting/report.ts';
import { actionsOf, newApp, onlyLogicalId, planTableId, REGION, roleStatements } from './synth.ts';

let template: Template;
let assemblyDir: string;
let ids: {
  key: string;
  table: string;
  bucket: string;
  logs: string;
  fn: string;
  role: string;
  schedule: string;
};

beforeAll(() => {
  // Synthesising bundles the functions with esbuild, so it happens once for the whole file.
  const app = newApp();
  const stack = new SipStack(app, 'SipStack', { env: { region: REGION } });
  template = Template.fromStack(stack);
  assemblyDir = app.outdir;
  const named = (type: string, prefix: string) => {
    const found = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
    expect(found, prefix).toHaveLength(1);
    return found[0] as string;
  };
  const fn = named('AWS::Lambda::Function', 'ReportsReportFunction');
  ids = {
    key: onlyLogicalId(template, 'AWS::KMS::Key'),
    table: planTableId(template),
    bucket: named('AWS::S3::Bucket', 'ReportsReportBucket'),
    logs: named('AWS::S3::Bucket', 'ReportsAccessLogs'),
    fn,
    role: template.toJSON().Resources[fn].Properties.Role['Fn::GetAtt'][0],
    schedule: named('AWS::Scheduler::Schedule', 'ReportsMonthlyExportSchedule'),
  };
}, 300_000);

const resource = (logicalId: string) => template.toJSON().Resources[logicalId];
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const keyArn = () => arnOf(ids.key);
const targetOf = (arn: { 'Fn::GetAtt': [string, string] }) => arn['Fn::GetAtt'][0];

describe('the report bucket', () => {
  it('is encrypted with the customer-managed data key, with a bucket key', () => {
    expect(resource(ids.bucket).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn() },
          BucketKeyEnabled: true,
        },
      ],
    });
  });

  it('blocks all public access, owns its objects, keeps versions and is retained', () => {
    expect(resource(ids.bucket)).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
      },
    });
  });

  it('refuses every request without TLS 1.2 or later', () => {
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: ids.bucket }),
    );
    const denies = (
      (policy?.Properties.PolicyDocument.Statement ?? []) as { Effect: string; Condition: unknown }[]
    ).filter((s) => s.Effect === 'Deny');
    expect(denies.map((s) => s.Condition)).toEqual([
      { Bool: { 'aws:SecureTransport': 'false' } },
      { NumericLessThan: { 's3:TlsVersion': 1.2 } },
    ]);
  });

  it('expires old versions, aborts unfinished uploads and moves year-old reports to a cheaper class', () => {
    expect(resource(ids.bucket).Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' },
      {
        Id: 'unfinished-uploads',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        Status: 'Enabled',
      },
      {
        Id: 'older-reports',
        Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 365 }],
        Status: 'Enabled',
      },
    ]);
  });

  it('logs every access to a private, versioned, TLS-only log bucket that keeps two years', () => {
    expect(resource(ids.bucket).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: ids.logs },
      LogFilePrefix: 'report-bucket/',
    });
    expect(resource(ids.logs)).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 730 })] },
      },
    });
    // The S3 logging service may write there, for this account and this bucket only.
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids.logs },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: {
              ArnLike: { 'aws:SourceArn': arnOf(ids.bucket) },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          }),
        ]),
      },
    });
  });
});

describe('the report function', () => {
  it('is told the table, the bucket and the register', () => {
    expect(resource(ids.fn).Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: ids.table },
      REPORT_BUCKET: { Ref: ids.bucket },
      REPORT_PRINCIPALS: { Ref: 'ReportPrincipals' },
    });
    template.hasParameter('ReportPrincipals', { Type: 'String', Default: '{}' });
  });

  it('may read the table and nothing more of it: no index, no write', () => {
    const dynamo = roleStatements(template, ids.role).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo).toEqual([
      { Effect: 'Allow', Action: [...TABLE_ACTIONS.read].sort(), Resource: arnOf(ids.table) },
    ]);
  });

  it('may only put report files into the bucket, under its prefix: never read, list or delete them', () => {
    const s3 = roleStatements(template, ids.role).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('s3:')),
    );
    expect(s3).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [arnOf(ids.bucket), '/regional/*']] },
      },
    ]);
  });

  it('may use the data key to read the table and to encrypt what it writes, nothing else', () => {
    const kms = roleStatements(template, ids.role).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('kms:')),
    );
    expect(kms.flatMap(actionsOf).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    for (const statement of kms) expect(statement.Resource).toEqual(keyArn());
  });

  it('retries a failed run twice, then sends the event to an encrypted, alarmed queue', () => {
    const destination = new Capture();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.fn },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [destination, 'Arn'] } } },
    });
    expect(resource(destination.asString()).Properties.KmsMasterKeyId).toEqual(keyArn());
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [destination.asString(), 'QueueName'] } }],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
    });
  });
});

describe('the monthly schedule', () => {
  it('fires at 06:00 Stockholm time on the 1st of every month, without a flexible window', () => {
    expect(resource(ids.schedule).Properties).toMatchObject({
      ScheduleExpression: 'cron(0 6 1 * ? *)',
      ScheduleExpressionTimezone: 'Europe/Stockholm',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
  });

  it('invokes the report function with the scheduled time, so a retry exports the same month', () => {
    const target = resource(ids.schedule).Properties.Target;
    expect(target.Arn).toEqual(arnOf(ids.fn));
    expect(JSON.parse(target.Input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
  });

  it('retries 3 times for up to 6 hours, then puts the event in an encrypted, alarmed DLQ', () => {
    const { RetryPolicy, DeadLetterConfig } = resource(ids.schedule).Properties.Target;
    expect(RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 });
    const queue = targetOf(DeadLetterConfig.Arn);
    expect(resource(queue).Properties.KmsMasterKeyId).toEqual(keyArn());
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
    });
  });

  it('runs as its own role, which may invoke only the report function and send only to its DLQ', () => {
    const { RoleArn, DeadLetterConfig } = resource(ids.schedule).Properties.Target;
    const statements = roleStatements(template, targetOf(RoleArn));
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')))).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [arnOf(ids.fn), { 'Fn::Join': ['', [arnOf(ids.fn), ':*']] }],
      },
    ]);
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')))).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: DeadLetterConfig.Arn },
    ]);
    expect(statements).toHaveLength(3);
    expect(resource(targetOf(RoleArn)).Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'scheduler.amazonaws.com',
    });
  });
});

describe('the API function', () => {
  it('names the principals of its reports by the same register', () => {
    const api = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('ApiFunction'),
    )?.[1];
    expect(api?.Properties.Environment.Variables.REPORT_PRINCIPALS).toEqual({ Ref: 'ReportPrincipals' });
  });
});

describe('the report formats in the functions that make reports', () => {
  it('ship beside the API’s and the report function’s bundles as a file of their own, which renders a report', async () => {
    const resources = template.toJSON().Resources as Record<
      string,
      { Type: string; Properties: { Code: { S3Key?: string } } }
    >;
    // A function's code is the asset `asset.<hash>` of the cloud assembly, uploaded as `<hash>.zip`.
    const assetOf = (prefix: string) => {
      const [id] = Object.keys(resources).filter(
        (i) => i.startsWith(prefix) && resources[i]?.Type === 'AWS::Lambda::Function',
      );
      const key = resources[id as string]?.Properties.Code.S3Key ?? 'missing';
      return join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`);
    };
    for (const prefix of ['ApiFunction', 'ReportsReportFunction']) {
      const dir = assetOf(prefix);
      expect(readdirSync(dir).sort(), prefix).toEqual(['index.mjs', 'report-formats.mjs']);
    }
    // The deployed file itself, loaded as the function loads it: a spreadsheet and a page from a report.
    const formats = await import(pathToFileURL(join(assetOf('ApiFunction'), 'report-formats.mjs')).href);
    const report = buildReport(
      monthPeriod('2026-01'),
      new Map(),
      principalRegister({ SE2120001801: '0180' }),
      ['0180'],
    );
    const xlsx: Uint8Array = await formats.toXlsx({ ...report, months: [] });
    expect(Buffer.from(xlsx.subarray(0, 2)).toString()).toBe('PK');
    expect(formats.toHtml({ ...report, months: [{ month: '2026-01', rows: [] }] })).toContain('<svg ');
    // The functions that do not make reports carry none of it.
    expect(readdirSync(assetOf('DocsFunction'))).toEqual(['index.mjs']);
  }, 60_000);
});
