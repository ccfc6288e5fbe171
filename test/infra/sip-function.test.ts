import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER } from '../../infra/bundling.ts';
import { SipFunction } from '../../infra/constructs/sip-function.ts';
import { actionsOf, newApp, REGION, roleStatements } from './synth.ts';

const ENTRY = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));

let template: Template;
let outdir: string;
let ids: { key: string; table: string; reader: string; custom: string };

beforeAll(() => {
  // Asset metadata (as `cdk synth` writes it) tells the tests where each bundle went.
  const app = newApp({ 'aws:cdk:enable-asset-metadata': true });
  const stack = new Stack(app, 'FunctionStack', { env: { region: REGION } });
  const key = new Key(stack, 'Key');
  const table = new TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    globalSecondaryIndexes: [
      { indexName: 'byOther', partitionKey: { name: 'other', type: AttributeType.STRING } },
    ],
  });

  // A function left to the house defaults, bound read-only.
  const reader = new SipFunction(stack, 'Reader', { entry: ENTRY, logEncryptionKey: key });
  reader.bindTable({ table, accessMode: 'read' });

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

  template = Template.fromStack(stack);
  outdir = app.outdir;
  const logicalId = (element: unknown) => stack.getLogicalId(element as CfnElement);
  ids = {
    key: logicalId(key.node.defaultChild),
    table: logicalId(table.node.defaultChild),
    reader: logicalId(reader.function.node.defaultChild),
    custom: logicalId(custom.function.node.defaultChild),
  };
}, 120_000);

const resource = (logicalId: string) => template.toJSON().Resources[logicalId];
const bundle = (logicalId: string) =>
  readFileSync(join(outdir, resource(logicalId).Metadata['aws:asset:path'], 'index.mjs'), 'utf8');
const logGroupOf = (logicalId: string) => resource(resource(logicalId).Properties.LoggingConfig.LogGroup.Ref);

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
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } },
    });
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

    it('grants a read-only function reads of the table and its indexes, and no writes', () => {
      const role = resource(ids.reader).Properties.Role['Fn::GetAtt'][0];
      const dynamo = roleStatements(template, role).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );
      expect(dynamo).toHaveLength(1);
      const actions = dynamo.flatMap(actionsOf);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      for (const write of ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', '*']) {
        expect(actions).not.toContain(`dynamodb:${write}`);
      }
      const tableArn = { 'Fn::GetAtt': [ids.table, 'Arn'] };
      expect(dynamo[0]?.Resource).toEqual([tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }]);
    });

    it('leaves an unbound function without a table or any DynamoDB permission', () => {
      expect(resource(ids.custom).Properties.Environment.Variables).not.toHaveProperty('TABLE_NAME');
      const role = resource(ids.custom).Properties.Role['Fn::GetAtt'][0];
      const actions = roleStatements(template, role).flatMap(actionsOf);
      expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    });
  });
});
