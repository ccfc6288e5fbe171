/**
 * The house Lambda function: every function of the service is one of these, so runtime, architecture,
 * tracing, bundling, logging and the execution role are decided once. A caller's own settings win over the
 * defaults; the environment and the bundling options are merged key by key rather than replaced.
 *
 * What a function may touch is granted only through the `bind…` methods, each of which sets the environment
 * variable and the matching least-privilege grant together, so the two cannot drift apart.
 */
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, ViaServicePrincipal } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { LAMBDA_ESBUILD_OPTIONS, lazyBundleCommand } from '../bundling.ts';

export interface SipFunctionProps extends Omit<NodejsFunctionProps, 'logGroup' | 'logRetention' | 'role'> {
  /** The handler module, e.g. `functions/api/handler.ts`. */
  entry: string;
  /** Encrypts the function's log group: logs can carry personal data. */
  logEncryptionKey: IKey;
  /** How long the function's logs are kept. @default one year */
  logRetention?: RetentionDays;
  /** Ships the report formats (xlsx, HTML) as a file beside the bundle, loaded on first use. @default false */
  withReportFormats?: boolean;
}

export interface BindTableOptions {
  table: ITableV2;
  /** `read` for functions that only look; `readWrite` only for those that write. */
  accessMode: 'read' | 'readWrite';
  /** The indexes the function may query, by name: granted one by one, never as `index/*`. @default none */
  indexes?: readonly string[];
}

/** Bundling starts from the repository's lock file, wherever the CDK app is run from. */
const DEPS_LOCK_FILE = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

/** esbuild's format names in NodejsFunction's terms. */
const OUTPUT_FORMATS = { esm: OutputFormat.ESM, cjs: OutputFormat.CJS } as const;

/** The DynamoDB actions each access mode allows. */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:BatchGetItem',
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const;

/**
 * The audit log's actions: append an entry (alone, or as a Put in a plan write's transaction) and read a
 * plan's entries back. Never update or delete: the table's own policy denies those to everyone as well.
 */
export const AUDIT_LOG_ACTIONS = ['dynamodb:PutItem', 'dynamodb:Query'] as const;

/**
 * What DynamoDB and SQS need of a caller's key permissions: decrypt to read, and data keys to write.
 * Named one by one: CDK's `grantEncryptDecrypt` adds the `kms:ReEncrypt*` and `kms:GenerateDataKey*`
 * families, which neither service asks of its callers.
 */
const KEY_ACTIONS = {
  read: ['kms:Decrypt'],
  readWrite: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
} as const;

export class SipFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: SipFunctionProps) {
    super(scope, id);
    const { logEncryptionKey, logRetention, environment, bundling, withReportFormats, ...functionProps } =
      props;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: logRetention ?? RetentionDays.ONE_YEAR,
      encryptionKey: logEncryptionKey,
    });

    // The function's own role, rather than the one Lambda would make with AWSLambdaBasicExecutionRole:
    // that managed policy may create and write any log group of the account; this role writes only its own.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      depsLockFilePath: DEPS_LOCK_FILE,
      ...functionProps,
      role: this.role,
      logGroup: this.logGroup,
      environment: { POWERTOOLS_SERVICE_NAME: 'sip', ...environment },
      bundling: {
        // The same esbuild settings `npm run bench` measures, so the numbers are those of what deploys.
        format: OUTPUT_FORMATS[LAMBDA_ESBUILD_OPTIONS.format],
        minify: LAMBDA_ESBUILD_OPTIONS.minify,
        sourceMap: LAMBDA_ESBUILD_OPTIONS.sourcemap,
        target: LAMBDA_ESBUILD_OPTIONS.target,
        mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
        banner: LAMBDA_ESBUILD_OPTIONS.banner.js,
        esbuildArgs: {
          '--jsx': LAMBDA_ESBUILD_OPTIONS.jsx,
          '--jsx-import-source': LAMBDA_ESBUILD_OPTIONS.jsxImportSource,
        },
        // Like the bench, bundle the SDK too: one file, and no dependence on the runtime's SDK version.
        bundleAwsSDK: true,
        // esbuild is a devDependency: bundling must never fall back to Docker.
        forceDockerBundling: false,
        ...(withReportFormats && {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_inputDir: string, outputDir: string) => [
              lazyBundleCommand('report-formats.mjs', outputDir),
            ],
          },
        }),
        ...bundling,
      },
    });

    acknowledgeHouseFindings(this);
  }

  /**
   * Gives the function its table: sets `TABLE_NAME` and grants exactly the access asked for, so a
   * function cannot get the name without the matching, least-privilege grant.
   */
  bindTable({ table, accessMode, indexes = [] }: BindTableOptions): void {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    // Exactly the actions the functions use (transactions need the per-item actions), never Scan or batch writes.
    Grant.addToPrincipal({
      grantee: this.function,
      actions: [...TABLE_ACTIONS[accessMode]],
      resourceArns: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index}`)],
    });
    table.encryptionKey?.grant(this.function, ...KEY_ACTIONS[accessMode]);
  }

  /**
   * Gives the function the audit log: sets `AUDIT_TABLE_NAME` and grants `AUDIT_LOG_ACTIONS` on that
   * table alone — append and read, nothing that could change or remove an entry.
   */
  bindAuditLog(table: ITableV2): void {
    this.function.addEnvironment('AUDIT_TABLE_NAME', table.tableName);
    Grant.addToPrincipal({
      grantee: this.function,
      actions: [...AUDIT_LOG_ACTIONS],
      resourceArns: [table.tableArn],
    });
    table.encryptionKey?.grant(this.function, ...KEY_ACTIONS.readWrite);
  }

  /**
   * Gives the function the key of the personal-identity hash: sets `IDENTITY_KEY_SECRET_ARN` and lets it
   * read that one secret's value (and decrypt it, through Secrets Manager only). It may not change it.
   */
  bindIdentityKey(secret: ISecret): void {
    this.function.addEnvironment('IDENTITY_KEY_SECRET_ARN', secret.secretArn);
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    secret.encryptionKey?.grantDecrypt(
      new ViaServicePrincipal(
        `secretsmanager.${Stack.of(this).region}.amazonaws.com`,
        this.function.grantPrincipal,
      ),
    );
  }
}

/**
 * The cdk-nag findings every house function raises by design, acknowledged once, here, with the reason.
 * Findings that depend on how a function is invoked (its dead-letter target) are acknowledged where it is.
 */
function acknowledgeHouseFindings(fn: SipFunction): void {
  const resource = Validations.of(fn.function);
  resource.acknowledge({
    id: 'HIPAA.Security-LambdaInsideVPC',
    reason:
      'The functions reach only AWS regional endpoints (DynamoDB, SQS, SES, SNS, Secrets Manager, KMS, X-Ray), over TLS and with IAM authorisation; there is no private resource a VPC would protect, and the data path would stay the same.',
  });
  resource.acknowledge({
    id: 'HIPAA.Security-LambdaConcurrency',
    reason:
      'Load is bounded upstream instead: the HTTP API stage throttles (50 requests/s, burst 100), the reminder queue’s event source allows at most 5 concurrent notify batches, and the deadline check runs on a 15-minute schedule. Reserving concurrency would take it from the account’s shared pool and fail deployment in accounts with a low quota.',
  });
  const policy = Validations.of(fn.role);
  policy.acknowledge({
    id: 'HIPAA.Security-IAMNoInlinePolicy',
    reason:
      'Each inline policy belongs to exactly one function role and is generated from the grants of that function alone; AWS recommends inline policies for such strict one-to-one relationships. A customer-managed policy would be attached to nothing else.',
  });
  policy.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions: X-Ray accepts only "*".',
  });
}
