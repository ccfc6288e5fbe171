import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SipStack } from '../../infra/sip-stack.ts';
import { allowedOrigins } from '../../shared/config.ts';
import {
  isPublic,
  ROUTE_KEYS,
  ROUTES,
  type RouteDeclaration,
  type RouteKey,
  servedBy,
} from '../../shared/http/routes.ts';
import { ACTIONS } from '../../shared/policy/policy.ts';
import { TABLE } from '../../shared/store/table.ts';
import { actionsOf, newApp, onlyLogicalId, planTableId, REGION, roleStatements } from './synth.ts';

let template: Template;
let ids: {
  key: string;
  table: string;
  function: string;
  role: string;
  docsFunction: string;
  docsRole: string;
  webFunction: string;
  webRole: string;
  api: string;
  authorizer: string;
};

beforeAll(() => {
  // Synthesising bundles the functions with esbuild, so it happens once for the whole file.
  const stack = new SipStack(newApp(), 'SipStack', { env: { region: REGION } });
  template = Template.fromStack(stack);
  const functionIds = Object.keys(template.findResources('AWS::Lambda::Function'));
  // The API, docs and web functions here; the reminder pipeline's two are tested in reminders.test.ts, the
  // report export's one in report-export.test.ts.
  expect(functionIds).toHaveLength(6);
  const functionId = functionIds.find((id) => id.startsWith('ApiFunction')) ?? '';
  const docsFunctionId = functionIds.find((id) => id.startsWith('DocsFunction')) ?? '';
  const webFunctionId = functionIds.find((id) => id.startsWith('WebFunction')) ?? '';
  const roleOf = (id: string) => template.toJSON().Resources[id].Properties.Role['Fn::GetAtt'][0];
  ids = {
    key: onlyLogicalId(template, 'AWS::KMS::Key'),
    table: planTableId(template),
    function: functionId,
    role: roleOf(functionId),
    docsFunction: docsFunctionId,
    docsRole: roleOf(docsFunctionId),
    webFunction: webFunctionId,
    webRole: roleOf(webFunctionId),
    api: onlyLogicalId(template, 'AWS::ApiGatewayV2::Api'),
    authorizer: onlyLogicalId(template, 'AWS::ApiGatewayV2::Authorizer'),
  };
}, 120_000);

const keyArn = () => ({ 'Fn::GetAtt': [ids.key, 'Arn'] });
const tableArn = () => ({ 'Fn::GetAtt': [ids.table, 'Arn'] });

describe('the encryption key', () => {
  it('rotates and lets CloudWatch Logs in this region use it only for this account’s log groups', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: `logs.${REGION}.amazonaws.com` },
            // arrayWith keeps order: CDK renders the actions sorted.
            Action: Match.arrayWith(['kms:Decrypt*', 'kms:Encrypt*', 'kms:GenerateDataKey*']),
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': ['', [`arn:aws:logs:${REGION}:`, { Ref: 'AWS::AccountId' }, ':log-group:*']],
                },
              },
            },
          }),
        ]),
      },
    });
  });
});

describe('the plan table', () => {
  const planTable = () => template.toJSON().Resources[ids.table];

  it('is keyed by TABLE’s partition and sort keys', () => {
    expect(planTable().Properties.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
  });

  it('has exactly TABLE’s indexes, with their keys and projections', () => {
    expect(planTable().Properties.GlobalSecondaryIndexes).toEqual(
      Object.entries(TABLE.indexes).map(([name, index]) => ({
        IndexName: name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.projection },
      })),
    );
  });

  it('bills on demand and is encrypted with the customer-managed key', () => {
    expect(planTable().Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [expect.objectContaining({ Region: REGION, SSESpecification: { KMSMasterKeyId: keyArn() } })],
    });
  });

  it('has point-in-time recovery and deletion protection, and is retained when the stack goes', () => {
    expect(planTable()).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Replicas: [
          expect.objectContaining({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      },
    });
  });
});

describe('the functions', () => {
  it('all run Node.js 24 on arm64 with active tracing and 1024 MB', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 1024,
      Handler: 'index.handler',
    });
  });

  it('give the docs function 10 s and the API function, whose year-long reports take longer, 29 s: under the HTTP API’s 30 s', () => {
    const resources = template.toJSON().Resources;
    expect(resources[ids.function].Properties.Timeout).toBe(29);
    expect(resources[ids.docsFunction].Properties.Timeout).toBe(10);
  });

  it('keep the docs function away from the data: no table name, no DynamoDB or KMS grant', () => {
    const docs = template.toJSON().Resources[ids.docsFunction].Properties;
    expect(docs.Environment?.Variables?.TABLE_NAME).toBeUndefined();
    const grants = roleStatements(template, ids.docsRole).flatMap(actionsOf);
    expect(grants.filter((action) => /^(dynamodb|kms):/.test(action))).toEqual([]);
  });

  it('tell the API function the table’s name and the Powertools service name', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { TABLE_NAME: { Ref: ids.table }, POWERTOOLS_SERVICE_NAME: 'sip' } },
    });
  });

  it('logs to its own log group', () => {
    const logGroup = new Capture();
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: logGroup } },
    });
    expect(template.toJSON().Resources[logGroup.asString()].Type).toBe('AWS::Logs::LogGroup');
  });

  it('may read and write the plan table and query the index that lists an organisation’s plans', () => {
    const dynamo = roleStatements(template, ids.role).filter(
      (s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')) && JSON.stringify(s.Resource).includes(ids.table),
    );
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0]?.Effect).toBe('Allow');
    // Exactly what the store uses: no Scan, no batch writes, no wildcard.
    expect(actionsOf(dynamo[0] ?? { Effect: '', Action: [], Resource: [] }).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    // The index by name, not `index/*`: the due-time index is the deadline check's.
    expect(dynamo[0]?.Resource).toEqual([
      tableArn(),
      { 'Fn::Join': ['', [tableArn(), '/index/plansByOrganisationStatus']] },
    ]);
  });

  it('has no wildcard DynamoDB permission', () => {
    const dynamo = roleStatements(template, ids.role).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo.length).toBeGreaterThan(0);
    for (const statement of dynamo) {
      expect(actionsOf(statement)).not.toContain('dynamodb:*');
      expect(statement.Resource).not.toBe('*');
      expect(statement.Resource).not.toContain('*');
    }
  });

  it('may use the data key, which the encrypted tables need, with the actions named one by one', () => {
    const kms = roleStatements(template, ids.role).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('kms:')),
    );
    expect(kms).toEqual([
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: keyArn() },
    ]);
  });
});

describe('CORS', () => {
  it('is off by default: the HTTP API answers no preflight', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
  });

  it('lets the configured origins call, with the methods and headers the API takes, and read the ETag', () => {
    // Bundling is beside the point here: the functions get placeholder code.
    const app = newApp({ 'aws:cdk:bundling-stacks': [] });
    const stack = new SipStack(app, 'SipStack', {
      env: { region: REGION },
      allowedOrigins: allowedOrigins({ CORS_ALLOWED_ORIGINS: 'https://journal.region.example.se' }),
    });
    const cors = new Capture();
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: cors });
    expect(cors.asObject()).toEqual({
      AllowOrigins: ['https://journal.region.example.se'],
      AllowMethods: expect.arrayContaining(['GET', 'HEAD', 'POST', 'PATCH']),
      AllowHeaders: expect.arrayContaining(['authorization', 'content-type', 'if-match', 'if-none-match']),
      ExposeHeaders: expect.arrayContaining(['etag', 'location']),
      MaxAge: 600,
    });
    expect(cors.asObject().AllowMethods).not.toContain('*');
  });

  it('reads the origins from CORS_ALLOWED_ORIGINS: none by default, and only origins', () => {
    expect(allowedOrigins({})).toEqual([]);
    expect(allowedOrigins({ CORS_ALLOWED_ORIGINS: 'https://a.example.se, http://localhost:5173' })).toEqual([
      'https://a.example.se',
      'http://localhost:5173',
    ]);
    expect(() => allowedOrigins({ CORS_ALLOWED_ORIGINS: 'https://a.example.se/path' })).toThrow(/origin/);
    expect(() => allowedOrigins({ CORS_ALLOWED_ORIGINS: '*' })).toThrow(/origin/);
  });
});

describe('the HTTP API', () => {
  const routes = () =>
    new Map(
      Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => [
        r.Properties.RouteKey as string,
        r.Properties as Record<string, unknown>,
      ]),
    );

  /** RFC 9110 9.3.2: every GET route is answered for HEAD too, by its own gateway route. */
  const headOf = (routeKey: RouteKey) => `HEAD ${routeKey.slice('GET '.length)}`;
  const reads = ROUTE_KEYS.filter((routeKey) => routeKey.startsWith('GET '));

  it('has a route for each entry of ROUTES, a HEAD route for each GET, a $default route, and no other', () => {
    expect([...routes().keys()].sort()).toEqual(
      [...ROUTE_KEYS, ...reads.map(headOf), '$default', 'ANY /app', 'ANY /app/{proxy+}'].sort(),
    );
  });

  it('sends the workspace, /app and all below it, to the web function with no authorizer: it signs its users in itself', () => {
    for (const key of ['ANY /app', 'ANY /app/{proxy+}']) {
      const route = routes().get(key);
      expect(route?.AuthorizationType, key).toBe('NONE');
      expect(route).not.toHaveProperty('AuthorizerId');
    }
    const web = template.toJSON().Resources[ids.webFunction].Properties;
    expect(web.Environment.Variables).toMatchObject({
      JWT_ISSUER: { Ref: 'JwtIssuer' },
      JWT_AUDIENCE: { Ref: 'JwtAudience' },
      WEB_CLIENT_ID: { Ref: 'WebClientId' },
      APP_BASE_URL: { Ref: 'AppBaseUrl' },
      CLAIM_NAMES: { Ref: 'ClaimNames' },
    });
    template.hasParameter('WebClientId', { Type: 'String', Default: 'sip-web' });
    // It reads and writes the plan table as the API does (its sessions are items there), never Scan.
    const actions = roleStatements(template, ids.webRole).flatMap(actionsOf);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).toContain('dynamodb:PutItem');
  });

  it.each(ROUTE_KEYS.filter((routeKey) => !isPublic(routeKey)))(
    '%s requires a JWT carrying the scope its action needs (and so does its HEAD)',
    (routeKey) => {
      const { action } = ROUTES[routeKey] as RouteDeclaration;
      expect(action).toBeDefined();
      for (const key of routeKey.startsWith('GET ') ? [routeKey, headOf(routeKey)] : [routeKey]) {
        expect(routes().get(key), key).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: ids.authorizer },
          AuthorizationScopes: [ACTIONS[action as keyof typeof ACTIONS]],
        });
      }
    },
  );

  it.each(ROUTE_KEYS.filter(isPublic))(
    '%s, declared public, is open without a token (its HEAD too)',
    (routeKey) => {
      for (const key of [routeKey, headOf(routeKey)]) {
        const route = routes().get(key);
        expect(route?.AuthorizationType, key).toBe('NONE');
        expect(route).not.toHaveProperty('AuthorizerId');
        expect(route).not.toHaveProperty('AuthorizationScopes');
      }
    },
  );

  it('only the docs function’s routes are public', () => {
    const publicRoutes = ROUTE_KEYS.filter(isPublic);
    expect(publicRoutes.length).toBeGreaterThan(0);
    for (const routeKey of publicRoutes) expect(servedBy(routeKey), routeKey).toBe('docs');
  });

  it('$default (unmatched requests, answered 404 or 405 by the API function) needs a valid JWT, with no scope', () => {
    const route = routes().get('$default');
    expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: ids.authorizer } });
    expect(route).not.toHaveProperty('AuthorizationScopes');
  });

  it('sends each route to the function that serves it, with the 2.0 payload', () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const integrationOf = (functionId: string) => {
      const found = Object.entries(integrations).find(
        ([, resource]) => resource.Properties.IntegrationUri?.['Fn::GetAtt']?.[0] === functionId,
      );
      expect(found?.[1].Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
      return found?.[0];
    };
    const byFunction = {
      api: integrationOf(ids.function),
      docs: integrationOf(ids.docsFunction),
      web: integrationOf(ids.webFunction),
    };
    expect(Object.keys(integrations)).toHaveLength(3);
    for (const [routeKey, route] of routes()) {
      const expected =
        routeKey === '$default'
          ? 'api'
          : routeKey.startsWith('ANY /app')
            ? 'web'
            : servedBy(routeKey.replace(/^HEAD /, 'GET ') as RouteKey);
      expect(route.Target, routeKey).toEqual({
        'Fn::Join': ['', ['integrations/', { Ref: byFunction[expected] }]],
      });
    }
  });

  it('verifies tokens against the issuer and audience given as stack parameters', () => {
    template.hasParameter('JwtIssuer', {
      Type: 'String',
      Description: Match.stringLikeRegexp('.+'),
      AllowedPattern: '^https://\\S+$',
    });
    template.hasParameter('JwtAudience', { Type: 'String', Description: Match.stringLikeRegexp('.+') });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: { Ref: ids.api },
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: { Ref: 'JwtIssuer' }, Audience: [{ Ref: 'JwtAudience' }] },
    });
  });

  it('tells the API function which claims carry the caller, from a stack parameter', () => {
    template.hasParameter('ClaimNames', { Type: 'String', Default: '{}' });
    const withClaimNames = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
      ([, fn]) => fn.Properties.Environment?.Variables?.CLAIM_NAMES,
    );
    // The API and the workspace read callers from claims, by the same names.
    expect(withClaimNames.map(([id]) => id).sort()).toEqual([ids.function, ids.webFunction].sort());
    expect(withClaimNames[0]?.[1].Properties.Environment.Variables.CLAIM_NAMES).toEqual({
      Ref: 'ClaimNames',
    });
  });

  it('serves a throttled, auto-deployed $default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: ids.api },
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
    });
  });

  it('writes one JSON access-log line per request to a log group, without headers or bodies', () => {
    const destination = new Capture();
    const format = new Capture();
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [destination, 'Arn'] }, Format: format },
    });
    expect(template.toJSON().Resources[destination.asString()].Type).toBe('AWS::Logs::LogGroup');
    const fields = JSON.parse(format.asString()) as Record<string, string>;
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      httpMethod: '$context.httpMethod',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLength: '$context.responseLength',
      integrationLatency: '$context.integrationLatency',
    });
    for (const variable of Object.values(fields)) {
      expect(variable).not.toMatch(/header|body|authorization|querystring|claims/i);
    }
  });
});

describe('the deadline settings', () => {
  it('reach every function that writes plans from one parameter, so they compute the same due times', () => {
    template.hasParameter('DeadlineSettings', { Type: 'String', Default: '{}' });
    // The report function reads the table but writes no plan.
    const writers = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(
        ([id, fn]) =>
          fn.Properties.Environment?.Variables?.TABLE_NAME && !id.startsWith('ReportsReportFunction'),
      )
      .map(([, fn]) => fn);
    expect(writers).toHaveLength(4);
    for (const writer of writers) {
      expect(writer.Properties.Environment.Variables.DEADLINE_SETTINGS).toEqual({ Ref: 'DeadlineSettings' });
    }
  });
});

describe('the log groups', () => {
  it('keep logs for a year, encrypted with the data key, and outlive the stack', () => {
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    // One per function (API, docs, web, deadline check, notify, report export) and the API's access logs.
    expect(logGroups).toHaveLength(Object.keys(template.findResources('AWS::Lambda::Function')).length + 1);
    expect(logGroups).toHaveLength(7);
    for (const logGroup of logGroups) {
      expect(logGroup).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: { RetentionInDays: 365, KmsKeyId: keyArn() },
      });
    }
  });
});

describe('the outputs', () => {
  it('give the API’s URL, the tables’ names and the alarm topic', () => {
    template.hasOutput('ApiUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith(['https://', { Ref: ids.api }])] },
    });
    template.hasOutput('TableName', { Value: { Ref: ids.table } });
    template.hasOutput('AuditTableName', { Value: { Ref: Match.stringLikeRegexp('^AuditLog') } });
    template.hasOutput('AlarmTopicArn', { Value: { Ref: onlyLogicalId(template, 'AWS::SNS::Topic') } });
  });
});
