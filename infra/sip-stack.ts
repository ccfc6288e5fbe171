/**
 * The whole service in one stack: the plan table, the API and docs functions, the HTTP API in front, and
 * the reminder pipeline that watches the plans' deadlines.
 * The table's keys come from `TABLE` and the routes and their scopes from `ROUTES` and `ACTIONS`, so the
 * stack cannot drift from the code that uses them.
 *
 * The stack needs a concrete region (`env.region`): a `TableV2` encrypted with a customer-managed key names
 * the key per replica region. The account may stay unresolved, so synthesis needs no credentials.
 */
import { fileURLToPath } from 'node:url';
import { CfnOutput, CfnParameter, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  type FunctionName,
  ROUTE_KEYS,
  ROUTES,
  type RouteDeclaration,
  type RouteKey,
  servedBy,
} from '../shared/http/routes.ts';
import { ACTIONS } from '../shared/policy/policy.ts';
import { TABLE } from '../shared/store/table.ts';
import { ReminderPipeline } from './constructs/reminder-pipeline.ts';
import { SipFunction } from './constructs/sip-function.ts';

const API_HANDLER = fileURLToPath(new URL('../functions/api/handler.ts', import.meta.url));
const DOCS_HANDLER = fileURLToPath(new URL('../functions/docs/handler.ts', import.meta.url));

/**
 * One JSON line per request. Deliberately without headers, query strings or bodies: those carry tokens
 * and personal data.
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
});

export class SipStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const jwtIssuer = new CfnParameter(this, 'JwtIssuer', {
      type: 'String',
      description:
        "The identity provider's issuer URL; API Gateway fetches its OIDC discovery document and keys.",
      // API Gateway accepts only HTTPS issuers: better to refuse a bad value before anything is deployed.
      allowedPattern: '^https://\\S+$',
      constraintDescription: 'must be an https:// URL',
    });
    const jwtAudience = new CfnParameter(this, 'JwtAudience', {
      type: 'String',
      description: 'The audience (aud claim) that tokens for this API must carry.',
    });
    const emailFrom = new CfnParameter(this, 'EmailFrom', {
      type: 'String',
      description:
        'The sender of reminder e-mails: an address verified in SES, by itself or through its domain.',
      // A bare address: it names the SES identity the notify function may send as.
      allowedPattern: '^[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+$',
      constraintDescription: 'must be a bare e-mail address, e.g. no-reply@sip.example.se',
    });
    const appBaseUrl = new CfnParameter(this, 'AppBaseUrl', {
      type: 'String',
      description: "The case workers' app, where the links in reminders point.",
      allowedPattern: '^https://\\S+$',
      constraintDescription: 'must be an https:// URL',
    });

    const deadlineSettings = new CfnParameter(this, 'DeadlineSettings', {
      type: 'String',
      default: '{}',
      description:
        'Lead times of the deadline reminders as JSON overriding the defaults, e.g. {"followUpReminderDaysBefore":14}. See the README.',
    });

    // One customer-managed key for everything at rest that can hold personal data: the table, the logs and
    // the reminder queues.
    const key = new Key(this, 'DataKey', {
      description: 'Encrypts the SIP plan table, the log groups and the reminder queues',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*`,
          },
        },
      }),
    );

    const stringKey = (name: string) => ({ name, type: AttributeType.STRING });
    const table = new TableV2(this, 'PlanTable', {
      partitionKey: stringKey(TABLE.partitionKey),
      sortKey: stringKey(TABLE.sortKey),
      globalSecondaryIndexes: Object.entries(TABLE.indexes).map(([indexName, index]) => ({
        indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: index.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
      })),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryptionV2.customerManagedKey(key),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const apiFunction = new SipFunction(this, 'ApiFunction', { entry: API_HANDLER, logEncryptionKey: key });
    apiFunction.bindTable({ table, accessMode: 'readWrite' });

    const api = new HttpApi(this, 'HttpApi', {
      description: 'SIP plans',
      // The default stage is created below, with throttling and access logs the HttpApi props cannot set.
      createDefaultStage: false,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      autoDeploy: true,
      throttle: { burstLimit: 100, rateLimit: 50 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR, encryptionKey: key }),
        ),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    // The docs function serves the public description; it reads no data and is granted none.
    const docsFunction = new SipFunction(this, 'DocsFunction', {
      entry: DOCS_HANDLER,
      logEncryptionKey: key,
    });

    const integrations: Record<FunctionName, HttpLambdaIntegration> = {
      api: new HttpLambdaIntegration('ApiIntegration', apiFunction.function),
      docs: new HttpLambdaIntegration('DocsIntegration', docsFunction.function),
    };
    const jwt = new HttpJwtAuthorizer('JwtAuthorizer', jwtIssuer.valueAsString, {
      jwtAudience: [jwtAudience.valueAsString],
    });
    const none = new HttpNoneAuthorizer();

    for (const routeKey of ROUTE_KEYS) {
      // A route without an action is public (see `isPublic`); every other one needs its action's scope.
      const { operationId, action }: RouteDeclaration = ROUTES[routeKey];
      new HttpRoute(this, `${capitalise(operationId)}Route`, {
        httpApi: api,
        routeKey: httpRouteKey(routeKey),
        integration: integrations[servedBy(routeKey)],
        ...(action ? { authorizer: jwt, authorizationScopes: [ACTIONS[action]] } : { authorizer: none }),
      });
    }
    // Unmatched requests still reach the function, which answers 404 or 405 as problem+json.
    new HttpRoute(this, 'DefaultRoute', {
      httpApi: api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrations.api,
      authorizer: none,
    });

    const reminders = new ReminderPipeline(this, 'Reminders', {
      table,
      key,
      emailFrom: emailFrom.valueAsString,
      appBaseUrl: appBaseUrl.valueAsString,
    });

    // Every function that writes plans computes their next due moment for the due-time index, so all of
    // them read the same lead times.
    for (const writer of [apiFunction, reminders.checkFunction, reminders.notifyFunction]) {
      writer.function.addEnvironment('DEADLINE_SETTINGS', deadlineSettings.valueAsString);
    }

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }
}

/** `'GET /plans/{planId}'` → the gateway's route key. */
function httpRouteKey(routeKey: RouteKey): HttpRouteKey {
  const [method, path] = routeKey.split(' ');
  if (!method || !path || !Object.values<string>(HttpMethod).includes(method)) {
    throw new Error(`Not a route key: ${routeKey}`);
  }
  return HttpRouteKey.with(path, method as HttpMethod);
}

const capitalise = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
