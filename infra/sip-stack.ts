/**
 * The whole service in one stack: the plan table, the audit log, the identity key, the API and docs
 * functions, the HTTP API in front, and the reminder pipeline that watches the plans' deadlines.
 * The table's keys come from `TABLE` and the routes and their scopes from `ROUTES` and `ACTIONS`, so the
 * stack cannot drift from the code that uses them.
 *
 * The stack needs a concrete region (`env.region`): a `TableV2` encrypted with a customer-managed key names
 * the key per replica region. The account may stay unresolved, so synthesis needs no credentials.
 */
import { fileURLToPath } from 'node:url';
import {
  ArnFormat,
  CfnOutput,
  CfnParameter,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
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
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { CORS } from '../shared/http/cors.ts';
import {
  declaredRoute,
  type FunctionName,
  GATEWAY_ROUTE_KEYS,
  ROUTES,
  type RouteDeclaration,
  servedBy,
} from '../shared/http/routes.ts';
import { ACTIONS } from '../shared/policy/policy.ts';
import { TABLE } from '../shared/store/table.ts';
import { AuditLogTable } from './constructs/audit-log-table.ts';
import { ReminderPipeline } from './constructs/reminder-pipeline.ts';
import { ReportExport } from './constructs/report-export.ts';
import { SipFunction } from './constructs/sip-function.ts';

const API_HANDLER = fileURLToPath(new URL('../functions/api/handler.ts', import.meta.url));
const DOCS_HANDLER = fileURLToPath(new URL('../functions/docs/handler.ts', import.meta.url));
const WEB_HANDLER = fileURLToPath(new URL('../functions/web/handler.ts', import.meta.url));
/** The design system's CSS the workspace serves, copied beside its bundle (read by `functions/web/stylesheet.ts`). */
const DESIGN_SYSTEM_CSS = fileURLToPath(
  new URL('../node_modules/@digdir/designsystemet-css/dist', import.meta.url),
);

/** The API lists an organisation's plans through this index; the due-time index is the check's. */
const API_INDEXES = ['plansByOrganisationStatus'] as const satisfies readonly (keyof typeof TABLE.indexes)[];

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

export interface SipStackProps extends StackProps {
  /** The origins browser-based clients may call the API from (CORS); none when empty or absent. */
  allowedOrigins?: string[];
}

export class SipStack extends Stack {
  constructor(scope: Construct, id: string, props?: SipStackProps) {
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
    // The identity provider is trusted as it names its claims: no proxy rewrites them (docs/sign-in.md).
    const claimNames = new CfnParameter(this, 'ClaimNames', {
      type: 'String',
      default: '{}',
      description:
        'Which token claims carry the user, organisation, unit and scopes, as JSON overriding the defaults (sub, org_id, unit_id, scope), e.g. {"user":"employeeHsaId","organisation":"healthCareUnitHsaId"}. See docs/sign-in.md.',
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

    const reportPrincipals = new CfnParameter(this, 'ReportPrincipals', {
      type: 'String',
      default: '{}',
      description:
        'The report register as JSON: each principal’s organisation id (the root of its HSA-ids) and the code exports name it by, e.g. {"SE2321000131":"14","SE2120001801":"1480"}. See the README.',
    });

    // One customer-managed key for everything at rest that can hold personal data: the tables, the identity
    // key, the logs, the reminder queues and the alarm topic (and the report bucket, though reports hold none).
    const key = new Key(this, 'DataKey', {
      description:
        'Encrypts the SIP plan and audit tables, the identity key secret, the log groups, the reminder queues and the alarm topic',
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
      timeToLiveAttribute: TABLE.timeToLive,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryptionV2.customerManagedKey(key),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const auditLog = new AuditLogTable(this, 'AuditLog', { encryptionKey: key });

    // The key of the keyed hash (HMAC) that finds plans by personal identity number without storing it.
    // Never rotated: every stored reference was made with it, and a new key would orphan them all.
    const identityKey = new Secret(this, 'IdentityKey', {
      description: 'The key of the keyed hash that indexes SIP plans by personal identity number',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const neverRotated =
      'Rotating the identity key would orphan every stored personal-identity reference (each is an HMAC under this key), so plans could no longer be found by personal identity number. Compensated by: generated inside AWS, encrypted with the customer-managed key, readable only by the API function, retained.';
    Validations.of(identityKey).acknowledge({ id: 'AwsSolutions-SMG4', reason: neverRotated });
    Validations.of(identityKey).acknowledge({
      id: 'HIPAA.Security-SecretsManagerRotationEnabled',
      reason: neverRotated,
    });

    const apiFunction = new SipFunction(this, 'ApiFunction', {
      entry: API_HANDLER,
      logEncryptionKey: key,
      withReportFormats: true,
      // A year's regional report of a large region takes seconds (docs/performance.md): room up to just
      // under the HTTP API's 30 s integration limit, so the function, not the gateway, ends a stuck request.
      timeout: Duration.seconds(29),
    });
    apiFunction.bindTable({ table, accessMode: 'readWrite', indexes: API_INDEXES });
    apiFunction.bindAuditLog(auditLog.table);
    apiFunction.bindIdentityKey(identityKey);

    const api = new HttpApi(this, 'HttpApi', {
      description: 'SIP plans',
      // The default stage is created below, with throttling and access logs the HttpApi props cannot set.
      createDefaultStage: false,
      // The gateway answers preflights itself, before the authorizer, and adds the headers to every answer.
      ...(props?.allowedOrigins?.length && {
        corsPreflight: {
          allowOrigins: props.allowedOrigins,
          allowMethods: CORS.allowMethods.map((method) => CorsHttpMethod[method]),
          allowHeaders: [...CORS.allowHeaders],
          exposeHeaders: [...CORS.exposeHeaders],
          maxAge: Duration.seconds(CORS.maxAgeSeconds),
        },
      }),
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
    for (const httpFunction of [apiFunction, docsFunction]) {
      const synchronousOnly =
        'Invoked only synchronously, by the HTTP API: a failure is answered to the caller as a 5xx and logged. A dead-letter queue receives only asynchronous invocations, which this function never has.';
      Validations.of(httpFunction.function).acknowledge({
        id: 'HIPAA.Security-LambdaDLQ',
        reason: synchronousOnly,
      });
      Validations.of(httpFunction.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: synchronousOnly,
      });
    }

    // The workspace: it signs its users in itself, through its own confidential client at the region's
    // identity provider, whose secret the operators put in this secret (see docs/deployment.md).
    const webClientId = new CfnParameter(this, 'WebClientId', {
      type: 'String',
      default: 'sip-web',
      description:
        "The workspace's client id at the identity provider (JwtIssuer): a confidential client with the redirect <AppBaseUrl>/app/signed-in and the post-logout redirect <AppBaseUrl>/app/signed-out.",
    });
    const webClientSecret = new Secret(this, 'WebClientSecret', {
      description: "The workspace's client secret at the identity provider: put the provider's value here",
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const issuedByTheProvider =
      "The client secret is issued by the region's identity provider, not by this account: it is rotated there, and the operators put the new value here.";
    Validations.of(webClientSecret).acknowledge({ id: 'AwsSolutions-SMG4', reason: issuedByTheProvider });
    Validations.of(webClientSecret).acknowledge({
      id: 'HIPAA.Security-SecretsManagerRotationEnabled',
      reason: issuedByTheProvider,
    });
    const webFunction = new SipFunction(this, 'WebFunction', {
      entry: WEB_HANDLER,
      logEncryptionKey: key,
      environment: {
        JWT_ISSUER: jwtIssuer.valueAsString,
        JWT_AUDIENCE: jwtAudience.valueAsString,
        WEB_CLIENT_ID: webClientId.valueAsString,
        APP_BASE_URL: appBaseUrl.valueAsString,
      },
      bundling: {
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [
            `mkdir -p "${outputDir}/designsystemet"`,
            `cp "${DESIGN_SYSTEM_CSS}"/src/*.css "${outputDir}/designsystemet/"`,
            `cp "${DESIGN_SYSTEM_CSS}/theme/designsystemet.css" "${outputDir}/designsystemet/theme.css"`,
          ],
        },
      },
    });
    // Reads plans, lists and the due index as the API does, and writes only its sessions and the audit log.
    webFunction.bindTable({ table, accessMode: 'readWrite', indexes: API_INDEXES });
    webFunction.bindAuditLog(auditLog.table);
    webFunction.bindIdentityKey(identityKey);
    webFunction.function.addEnvironment('WEB_CLIENT_SECRET_ARN', webClientSecret.secretArn);
    webClientSecret.grantRead(webFunction.function);
    for (const synchronous of [webFunction]) {
      const reason =
        'Invoked only synchronously, by the HTTP API: a failure is answered to the caller as a 5xx and logged. A dead-letter queue receives only asynchronous invocations, which this function never has.';
      Validations.of(synchronous.function).acknowledge({ id: 'HIPAA.Security-LambdaDLQ', reason });
      Validations.of(synchronous.function).acknowledge({ id: 'Serverless-LambdaDLQ', reason });
    }

    const integrations: Record<FunctionName, HttpLambdaIntegration> = {
      api: new HttpLambdaIntegration('ApiIntegration', apiFunction.function),
      docs: new HttpLambdaIntegration('DocsIntegration', docsFunction.function),
      web: new HttpLambdaIntegration('WebIntegration', webFunction.function),
    };
    const jwt = new HttpJwtAuthorizer('JwtAuthorizer', jwtIssuer.valueAsString, {
      jwtAudience: [jwtAudience.valueAsString],
    });
    const none = new HttpNoneAuthorizer();

    for (const gatewayRouteKey of GATEWAY_ROUTE_KEYS) {
      // HEAD routes run their GET's function, with its scope.
      const routeKey = declaredRoute(gatewayRouteKey);
      if (!routeKey) throw new Error(`No declared route for ${gatewayRouteKey}`);
      // A route without an action is public (see `isPublic`); every other one needs its action's scope.
      const { operationId, action }: RouteDeclaration = ROUTES[routeKey];
      const head = gatewayRouteKey.startsWith('HEAD ') ? 'Head' : '';
      const route = new HttpRoute(this, `${capitalise(operationId)}${head}Route`, {
        httpApi: api,
        routeKey: httpRouteKey(gatewayRouteKey),
        integration: integrations[servedBy(routeKey)],
        ...(action ? { authorizer: jwt, authorizationScopes: [ACTIONS[action]] } : { authorizer: none }),
      });
      // Only a docs route may stay open: a public route of the API function would fail synthesis here.
      if (!action && servedBy(routeKey) === 'docs') {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${gatewayRouteKey} is declared public in shared/http/routes.ts: it serves the API's description (generated from the route declarations), served by the docs function, which is granted no data, no table and no key.`,
        });
      }
    }
    // The workspace's paths carry no token: the web function signs its users in and checks its session.
    for (const [id, path] of [
      ['WorkspaceRoute', '/app'],
      ['WorkspacePagesRoute', '/app/{proxy+}'],
    ] as const) {
      const route = new HttpRoute(this, id, {
        httpApi: api,
        routeKey: HttpRouteKey.with(path, HttpMethod.ANY),
        integration: integrations.web,
        authorizer: none,
      });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${path} is the workspace: its function authenticates each request itself, by a server-side session made in the OpenID Connect code flow, and verifies the session's access token as the JWT authorizer does.`,
      });
    }
    // Unmatched requests need a token too (any valid one: no action, so no scope), and then reach the API
    // function, which answers 404 or 405 as problem+json. Only the docs routes are open.
    new HttpRoute(this, 'DefaultRoute', {
      httpApi: api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrations.api,
      authorizer: jwt,
    });

    // The operators' topic: every dead-letter alarm goes here. Subscribe the on-call address or chat to it.
    const alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'SIP alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // CloudWatch publishes the alarms of this account and region, and needs the key to do it.
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': this.account },
        ArnLike: {
          'aws:SourceArn': this.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    });
    alarmTopic.grantPublish(cloudWatch);

    const reminders = new ReminderPipeline(this, 'Reminders', {
      table,
      key,
      emailFrom: emailFrom.valueAsString,
      appBaseUrl: appBaseUrl.valueAsString,
      alarmTopic,
    });

    const reportExport = new ReportExport(this, 'Reports', {
      table,
      key,
      alarmTopic,
      reportPrincipals: reportPrincipals.valueAsString,
    });
    // The API serves the same reports on demand, naming the principals by the same register.
    apiFunction.function.addEnvironment('REPORT_PRINCIPALS', reportPrincipals.valueAsString);
    // The API function reads the caller from the claims the JWT authorizer verified, by these names.
    apiFunction.function.addEnvironment('CLAIM_NAMES', claimNames.valueAsString);
    // The workspace reads the same claims of the token it holds, by the same names.
    webFunction.function.addEnvironment('CLAIM_NAMES', claimNames.valueAsString);

    // Every function that writes plans computes their next due moment for the due-time index, so all of
    // them read the same lead times.
    for (const writer of [apiFunction, webFunction, reminders.checkFunction, reminders.notifyFunction]) {
      writer.function.addEnvironment('DEADLINE_SETTINGS', deadlineSettings.valueAsString);
    }

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'AuditTableName', { value: auditLog.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
    new CfnOutput(this, 'ReportBucketName', { value: reportExport.bucket.bucketName });
  }
}

/** `'GET /plans/{planId}'` → the gateway's route key. */
function httpRouteKey(routeKey: string): HttpRouteKey {
  const [method, path] = routeKey.split(' ');
  if (!method || !path || !Object.values<string>(HttpMethod).includes(method)) {
    throw new Error(`Not a route key: ${routeKey}`);
  }
  return HttpRouteKey.with(path, method as HttpMethod);
}

const capitalise = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
