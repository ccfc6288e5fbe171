/**
 * The hardening cdk-nag has no rule for (its DynamoDB rules look at AWS::DynamoDB::Table, not the
 * GlobalTable a TableV2 makes), asserted on the template: the tables' recovery and retention, the audit
 * log's append-only guarantees, the identity key, and every asynchronous path ending in a retry and a DLQ.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SipStack } from '../../infra/sip-stack.ts';
import { AUDIT_TABLE } from '../../shared/store/table.ts';
import { actionsOf, newApp, onlyLogicalId, planTableId, REGION, type Statement } from './synth.ts';

let template: Template;
let ids: {
  key: string;
  planTable: string;
  auditTable: string;
  secret: string;
  webClientSecret: string;
  api: string;
  web: string;
};

beforeAll(() => {
  // Synthesising bundles the functions with esbuild, so it happens once for the whole file.
  const stack = new SipStack(newApp(), 'SipStack', { env: { region: REGION } });
  template = Template.fromStack(stack);
  const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
  ids = {
    key: onlyLogicalId(template, 'AWS::KMS::Key'),
    planTable: planTableId(template),
    auditTable: template.toJSON().Outputs.AuditTableName.Value.Ref,
    secret:
      Object.keys(template.findResources('AWS::SecretsManager::Secret')).find((id) =>
        id.startsWith('IdentityKey'),
      ) ?? '',
    webClientSecret:
      Object.keys(template.findResources('AWS::SecretsManager::Secret')).find((id) =>
        id.startsWith('WebClientSecret'),
      ) ?? '',
    api: functions.find((id) => id.startsWith('ApiFunction')) ?? '',
    web: functions.find((id) => id.startsWith('WebFunction')) ?? '',
  };
}, 120_000);

// The template's JSON is untyped: resources are read as CloudFormation writes them.
const resource = (logicalId: string) => template.toJSON().Resources[logicalId];
const ofType = (type: string): [string, ReturnType<typeof resource>][] =>
  Object.entries(template.toJSON().Resources).filter(([, r]) => (r as { Type: string }).Type === type);
const keyArn = () => ({ 'Fn::GetAtt': [ids.key, 'Arn'] });
const mentions = (value: unknown, logicalId: string) => JSON.stringify(value).includes(`"${logicalId}"`);

/** Every Allow statement of every IAM policy of the stack, with the policy's logical id. */
function allowStatements(): { policy: string; statement: Statement }[] {
  return ofType('AWS::IAM::Policy').flatMap(([policy, r]) =>
    (r.Properties.PolicyDocument.Statement as Statement[])
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({ policy, statement })),
  );
}

const functionsWithEnv = (name: string) =>
  ofType('AWS::Lambda::Function')
    .filter(([, r]) => r.Properties.Environment?.Variables?.[name] !== undefined)
    .map(([id]) => id);
const roleOf = (functionId: string) => resource(functionId).Properties.Role['Fn::GetAtt'][0] as string;
const policiesOf = (functionId: string) =>
  ofType('AWS::IAM::Policy')
    .filter(([, r]) => mentions(r.Properties.Roles, roleOf(functionId)))
    .map(([id]) => id);

describe('every DynamoDB table', () => {
  it('is the plan table or the audit log', () => {
    expect(
      ofType('AWS::DynamoDB::GlobalTable')
        .map(([id]) => id)
        .sort(),
    ).toEqual([ids.planTable, ids.auditTable].sort());
    expect(ofType('AWS::DynamoDB::Table')).toEqual([]);
  });

  it.each([
    ['plan table', () => ids.planTable],
    ['audit log', () => ids.auditTable],
  ])('the %s has point-in-time recovery, deletion protection, the data key, and is retained', (_, table) => {
    expect(resource(table())).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          expect.objectContaining({
            Region: REGION,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
            SSESpecification: { KMSMasterKeyId: keyArn() },
          }),
        ],
      },
    });
  });
});

describe('the audit log table', () => {
  const auditTable = () => resource(ids.auditTable).Properties;

  it('is keyed by AUDIT_TABLE’s partition and sort keys, without indexes', () => {
    expect(auditTable().KeySchema).toEqual([
      { AttributeName: AUDIT_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: AUDIT_TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(auditTable().GlobalSecondaryIndexes).toBeUndefined();
    expect(auditTable().LocalSecondaryIndexes).toBeUndefined();
  });

  it('has no time to live: an entry is kept for at least five years, so none ever expires', () => {
    expect(auditTable().TimeToLiveSpecification).toBeUndefined();
  });

  it('has no stream through which entries could be copied elsewhere', () => {
    expect(auditTable().StreamSpecification).toBeUndefined();
  });

  it('denies to every principal each way of changing or deleting an entry, by its own resource policy', () => {
    const replica = auditTable().Replicas[0];
    expect(replica.ResourcePolicy.PolicyDocument.Statement).toEqual([
      {
        Sid: expect.any(String),
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [
          'dynamodb:BatchWriteItem',
          'dynamodb:DeleteItem',
          'dynamodb:PartiQLDelete',
          'dynamodb:PartiQLUpdate',
          'dynamodb:UpdateItem',
        ],
        Resource: '*',
      },
    ]);
  });

  it('is named to the functions that serve callers alone (API and workspace), as AUDIT_TABLE_NAME', () => {
    expect(functionsWithEnv('AUDIT_TABLE_NAME').sort()).toEqual([ids.api, ids.web].sort());
    for (const fn of [ids.api, ids.web])
      expect(resource(fn).Properties.Environment.Variables.AUDIT_TABLE_NAME).toEqual({ Ref: ids.auditTable });
  });

  it('may be appended to and queried by those functions, with exactly PutItem and Query', () => {
    const onAuditTable = allowStatements().filter(({ statement }) =>
      mentions(statement.Resource, ids.auditTable),
    );
    expect(onAuditTable.map(({ policy }) => policy).sort()).toEqual(
      [...policiesOf(ids.api), ...policiesOf(ids.web)].sort(),
    );
    for (const { statement } of onAuditTable)
      expect(statement).toEqual({
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:Query'],
        Resource: { 'Fn::GetAtt': [ids.auditTable, 'Arn'] },
      });
  });

  it('can be changed or emptied through no IAM policy of the stack, not even by a wildcard', () => {
    const forbidden =
      /^(\*|dynamodb:\*|dynamodb:(Delete|Update|BatchWrite)Item|dynamodb:PartiQL(Delete|Update))$/;
    for (const { policy, statement } of allowStatements()) {
      const reachesAuditTable = mentions(statement.Resource, ids.auditTable) || statement.Resource === '*';
      if (!reachesAuditTable) continue;
      expect(
        actionsOf(statement).filter((action) => forbidden.test(action)),
        policy,
      ).toEqual([]);
    }
  });
});

describe('the identity key secret', () => {
  it('is a generated 64-character value without punctuation, under the data key, retained', () => {
    expect(resource(ids.secret)).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
        KmsKeyId: keyArn(),
      },
    });
    expect(resource(ids.secret).Properties.SecretString).toBeUndefined();
  });

  it('is never rotated: a new key would orphan every stored identity reference', () => {
    expect(ofType('AWS::SecretsManager::RotationSchedule')).toEqual([]);
  });

  it('is named to the functions that serve callers alone — the API and the workspace — which may only read it', () => {
    expect(functionsWithEnv('IDENTITY_KEY_SECRET_ARN').sort()).toEqual([ids.api, ids.web].sort());
    for (const fn of [ids.api, ids.web])
      expect(resource(fn).Properties.Environment.Variables.IDENTITY_KEY_SECRET_ARN).toEqual({
        Ref: ids.secret,
      });
    const onSecret = allowStatements().filter(({ statement }) => mentions(statement.Resource, ids.secret));
    expect(onSecret.map(({ policy }) => policy).sort()).toEqual(
      [...policiesOf(ids.api), ...policiesOf(ids.web)].sort(),
    );
    for (const { statement } of onSecret)
      expect(statement).toEqual({
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: ids.secret },
      });
  });
});

describe("the workspace's client secret", () => {
  it('is under the data key, retained, and readable by the web function alone', () => {
    expect(resource(ids.webClientSecret)).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { KmsKeyId: keyArn() },
    });
    expect(functionsWithEnv('WEB_CLIENT_SECRET_ARN')).toEqual([ids.web]);
    const onSecret = allowStatements().filter(({ statement }) =>
      mentions(statement.Resource, ids.webClientSecret),
    );
    expect(onSecret.map(({ policy }) => policy)).toEqual(policiesOf(ids.web));
    for (const { statement } of onSecret)
      expect(
        actionsOf(statement).every((action) =>
          /^secretsmanager:(GetSecretValue|DescribeSecret)$/.test(action),
        ),
      ).toBe(true);
  });
});

describe('every schedule', () => {
  it('retries a failed invocation and then gives it to an encrypted dead-letter queue', () => {
    const schedules = ofType('AWS::Scheduler::Schedule');
    expect(schedules.length).toBeGreaterThan(0);
    for (const [id, schedule] of schedules) {
      const { RetryPolicy, DeadLetterConfig } = schedule.Properties.Target;
      expect(RetryPolicy?.MaximumRetryAttempts, id).toBeGreaterThan(0);
      expect(RetryPolicy?.MaximumEventAgeInSeconds, id).toBeGreaterThan(0);
      const queue = resource(DeadLetterConfig?.Arn?.['Fn::GetAtt']?.[0]);
      expect(queue, id).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: keyArn() } });
    }
  });
});

describe('every asynchronously invoked function', () => {
  it('retries a failed event and then sends it to an encrypted on-failure destination', () => {
    // A schedule invokes its target asynchronously; nothing else of the stack does (API Gateway and the
    // SQS event source invoke synchronously).
    // (The redrive schedule calls SQS, not a function.)
    const targets = ofType('AWS::Scheduler::Schedule')
      .filter(([, s]) => s.Properties.Target.Arn['Fn::GetAtt'])
      .map(([, s]) => s.Properties.Target.Arn['Fn::GetAtt'][0]);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      const [, config] =
        ofType('AWS::Lambda::EventInvokeConfig').find(([, c]) =>
          mentions(c.Properties.FunctionName, target),
        ) ?? [];
      expect(config?.Properties.MaximumRetryAttempts, target).toBeGreaterThan(0);
      const destination = config?.Properties.DestinationConfig?.OnFailure?.Destination?.['Fn::GetAtt']?.[0];
      expect(resource(destination), target).toMatchObject({
        Type: 'AWS::SQS::Queue',
        Properties: { KmsMasterKeyId: keyArn() },
      });
    }
  });

  it('are only the schedules’ targets: nothing else may invoke a function asynchronously', () => {
    const invokers = ofType('AWS::Lambda::Permission').map(([, p]) => p.Properties.Principal);
    expect(new Set(invokers)).toEqual(new Set(['apigateway.amazonaws.com']));
  });
});

describe('everything kept at rest', () => {
  it('is encrypted with the customer-managed data key: queues, topics, log groups and the secret', () => {
    const encryptedBy: Record<string, string> = {
      'AWS::SQS::Queue': 'KmsMasterKeyId',
      'AWS::SNS::Topic': 'KmsMasterKeyId',
      'AWS::Logs::LogGroup': 'KmsKeyId',
      'AWS::SecretsManager::Secret': 'KmsKeyId',
    };
    for (const [type, property] of Object.entries(encryptedBy)) {
      const found = ofType(type);
      expect(found.length, type).toBeGreaterThan(0);
      for (const [id, r] of found) expect(r.Properties[property], id).toEqual(keyArn());
    }
  });

  it('holds only the report export’s buckets, each private, versioned, encrypted and retained', () => {
    // The reports and their server access logs; their own rules are asserted in report-export.test.ts.
    const buckets = ofType('AWS::S3::Bucket');
    expect(buckets.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'ReportsAccessLogs',
      'ReportsReportBucket',
    ]);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.VersioningConfiguration, id).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.BucketEncryption, id).toBeDefined();
      expect(bucket.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('keeps every log group, the API’s access log included, for at least a year, and retains it', () => {
    const logGroups = ofType('AWS::Logs::LogGroup');
    expect(logGroups.length).toBeGreaterThan(0);
    for (const [id, logGroup] of logGroups) {
      expect(logGroup.Properties.RetentionInDays, id).toBeGreaterThanOrEqual(365);
      expect(logGroup.DeletionPolicy, id).toBe('Retain');
    }
  });
});

describe('the operators’ alarm topic', () => {
  it('accepts only TLS, and alarms of this account and region from CloudWatch', () => {
    const topic = onlyLogicalId(template, 'AWS::SNS::Topic');
    const [, policy] =
      ofType('AWS::SNS::TopicPolicy').find(([, p]) => mentions(p.Properties.Topics, topic)) ?? [];
    expect(policy?.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': ['', [`arn:aws:cloudwatch:${REGION}:`, { Ref: 'AWS::AccountId' }, ':alarm:*']],
              },
            },
          },
        }),
      ]),
    );
  });

  it('can be published to by CloudWatch, which needs the data key for the encrypted topic', () => {
    expect(resource(ids.key).Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
  });
});
