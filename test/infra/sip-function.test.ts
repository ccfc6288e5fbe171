import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER } from '../../infra/bundling.ts';
import { SipFunction } from '../../infra/constructs/sip-function.ts';
import { actionsOf, newApp, REGION, roleStatements } from './synth.ts';

const ENTRY = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));

let template: Template;
let outdir: string;
let ids: {
  key: string;
  table: string;
  auditTable: string;
  secret: string;
  reader: string;
  custom: string;
  auditor: string;
};

beforeAll(() => {
  // Asset metadata (as `cdk synth` writes it) tells the tests where each bundle went.
  // A fixture stack, not the deployed one: the compliance packs judge SipStack (compliance.test.ts).
  const app = newApp({ 'aws:cdk:enable-asset-metadata': true }, { complianceChecks: false });
  const stack = new Stack(app, 'FunctionStack', { env: { region: REGION } });
  const key = new Key(stack, 'Key');
  const table = new TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    globalSecondaryIndexes: [
      { indexName: 'byOther', partitionKey: { name: 'other', type: AttributeType.STRING } },
      { indexName: 'byThird', partitionKey: { name: 'third', type: AttributeType.STRING } },
    ],
    encryption: TableEncryptionV2.customerManagedKey(key),
  });
  const auditTable = new TableV2(stack, 'AuditTable', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    encryption: TableEncryptionV2.customerManagedKey(key),
  });
  const secret = new Secret(stack, 'Secret', { encryptionKey: key });

  // A function left to the house defaults, bound read-only, with one of the table's two indexes.
  const reader = new SipFunction(stack, 'Reader', { entry: ENTRY, logEncryptionKey: key });
  reader.bindTable({ table, accessMode: 'read', indexes: ['byOther'] });

  // A function whose caller overrides some of them.
  const custom = new SipFunction(stack, 'Custom', {
    entry: ENTRY,
    logEncryptionKey: key,
    logRetention: RetentionDays.ONE_MONTH,
    memorySize: 256,
    timeout: Duration.seconds(3),
    environment: { EXTRA: 'kept' },
    bundling: { banner: '/* custom banner */' },
  });

  // A function bound to the audit log and the identity key, and to no table.
  const auditor = new SipFunction(stack, 'Auditor', { entry: ENTRY, logEncryptionKey: key });
  auditor.bindAuditLog(auditTable);
  auditor.bindIdentityKey(secret);

  template = Template.fromStack(stack);
  outdir = app.outdir;
  const logicalId = (element: unknown) => stack.getLogicalId(element as CfnElement);
  ids = {
    key: logicalId(key.node.defaultChild),
    table: logicalId(table.node.defaultChild),
    auditTable: logicalId(auditTable.node.defaultChild),
    secret: logicalId(secret.node.defaultChild),
    reader: logicalId(reader.function.node.defaultChild),
    custom: logicalId(custom.function.node.defaultChild),
    auditor: logicalId(auditor.function.node.defaultChild),
  };
}, 120_000);

const resource = (logicalId: string) => template.toJSON().Resources[logicalId];
const bundle = (logicalId: string) =>
  readFileSync(join(outdir, resource(logicalId).Metadata['aws:asset:path'], 'index.mjs'), 'utf8');
const logGroupOf = (logicalId: string) => resource(resource(logicalId).Properties.LoggingConfig.LogGroup.Ref);
const roleOf = (functionId: string): string => resource(functionId).Properties.Role['Fn::GetAtt'][0];
/** The statements of a function's role with an action of the service `prefix` (e.g. `dynamodb:`). */
const statementsOf = (functionId: string, prefix: string) =>
  roleStatements(template, roleOf(functionId)).filter((s) => actionsOf(s).some((a) => a.startsWith(prefix)));
const keyArn = () => ({ 'Fn::GetAtt': [ids.key, 'Arn'] });

describe('SipFunction', () => {
  it('runs Node.js 24 on arm64 with active tracing, 1024 MB and 10 s unless told otherwise', () => {
    expect(resource(ids.reader).Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 1024,
      Timeout: 10,
    });
  });

  it('logs to its own log group, kept for a year and encrypted with the given key', () => {
    expect(logGroupOf(ids.reader)).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 365, KmsKeyId: keyArn() },
    });
  });

  it('runs as its own role, without AWS managed policies, which may write only its own log group', () => {
    const role = resource(roleOf(ids.reader));
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const logGroup = resource(ids.reader).Properties.LoggingConfig.LogGroup.Ref;
    expect(statementsOf(ids.reader, 'logs:')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] },
      },
    ]);
  });

  it('has no wildcard resource but X-Ray’s, which cannot be scoped', () => {
    const wildcards = roleStatements(template, roleOf(ids.reader)).filter((s) => s.Resource === '*');
    expect(wildcards.flatMap(actionsOf).sort()).toEqual([
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('bundles the handler as minified ESM that can still require CommonJS', () => {
    const code = bundle(ids.reader);
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code).toMatch(/export\s*\{/);
    expect(code.trim().split('\n').length).toBeLessThan(5);
  });

  it('keeps the caller’s own settings over the defaults', () => {
    expect(resource(ids.custom).Properties).toMatchObject({ MemorySize: 256, Timeout: 3 });
    expect(logGroupOf(ids.custom).Properties.RetentionInDays).toBe(30);
  });

  it('merges the caller’s environment with the defaults rather than replacing it', () => {
    expect(resource(ids.custom).Properties.Environment.Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'sip',
      EXTRA: 'kept',
    });
  });

  it('merges the caller’s bundling options with the defaults rather than replacing them', () => {
    const assetDir = join(outdir, resource(ids.custom).Metadata['aws:asset:path']);
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true); // still ESM
    const code = bundle(ids.custom);
    expect(code.startsWith('/* custom banner */')).toBe(true);
    expect(code.trim().split('\n').length).toBeLessThan(5); // still minified
  });

  describe('bindTable', () => {
    it('tells the function the table’s name', () => {
      expect(resource(ids.reader).Properties.Environment.Variables).toEqual({
        POWERTOOLS_SERVICE_NAME: 'sip',
        TABLE_NAME: { Ref: ids.table },
      });
    });

    it('grants a read-only function reads of the table and of the indexes it names, and no writes', () => {
      const dynamo = statementsOf(ids.reader, 'dynamodb:');
      expect(dynamo).toHaveLength(1);
      const actions = dynamo.flatMap(actionsOf);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      for (const write of ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', '*']) {
        expect(actions).not.toContain(`dynamodb:${write}`);
      }
      // The index by name: neither `index/*` nor the table's other index.
      const tableArn = { 'Fn::GetAtt': [ids.table, 'Arn'] };
      expect(dynamo[0]?.Resource).toEqual([tableArn, { 'Fn::Join': ['', [tableArn, '/index/byOther']] }]);
    });

    it('lets a read-only function only decrypt with the table’s key', () => {
      expect(statementsOf(ids.reader, 'kms:')).toEqual([
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn() },
      ]);
    });

    it('leaves an unbound function without a table or any DynamoDB or KMS permission', () => {
      expect(resource(ids.custom).Properties.Environment.Variables).not.toHaveProperty('TABLE_NAME');
      expect(statementsOf(ids.custom, 'dynamodb:')).toEqual([]);
      expect(statementsOf(ids.custom, 'kms:')).toEqual([]);
    });
  });

  describe('bindAuditLog', () => {
    it('tells the function the audit table’s name', () => {
      expect(resource(ids.auditor).Properties.Environment.Variables).toMatchObject({
        AUDIT_TABLE_NAME: { Ref: ids.auditTable },
      });
    });

    it('grants exactly PutItem and Query, on the audit table alone', () => {
      expect(statementsOf(ids.auditor, 'dynamodb:')).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:PutItem', 'dynamodb:Query'],
          Resource: { 'Fn::GetAtt': [ids.auditTable, 'Arn'] },
        },
      ]);
    });

    it('grants the table’s key for writing entries, named action by action', () => {
      expect(statementsOf(ids.auditor, 'kms:')).toEqual([
        {
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: keyArn(),
        },
      ]);
    });

    it('leaves an unbound function without the audit log', () => {
      expect(resource(ids.reader).Properties.Environment.Variables).not.toHaveProperty('AUDIT_TABLE_NAME');
    });
  });

  describe('bindIdentityKey', () => {
    it('tells the function the secret’s ARN', () => {
      expect(resource(ids.auditor).Properties.Environment.Variables).toMatchObject({
        IDENTITY_KEY_SECRET_ARN: { Ref: ids.secret },
      });
    });

    it('grants reading that secret’s value and nothing else of Secrets Manager', () => {
      expect(statementsOf(ids.auditor, 'secretsmanager:')).toEqual([
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: ids.secret } },
      ]);
    });

    it('lets the function decrypt the secret with its key, through Secrets Manager only', () => {
      expect(resource(ids.key).Properties.KeyPolicy.Statement).toContainEqual({
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Principal: { AWS: { 'Fn::GetAtt': [roleOf(ids.auditor), 'Arn'] } },
        Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } },
        Resource: '*',
      });
    });

    it('leaves an unbound function without the secret', () => {
      expect(resource(ids.reader).Properties.Environment.Variables).not.toHaveProperty(
        'IDENTITY_KEY_SECRET_ARN',
      );
      expect(statementsOf(ids.reader, 'secretsmanager:')).toEqual([]);
    });
  });
});
