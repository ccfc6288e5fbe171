/**
 * The house Lambda function: every function of the service is one of these, so runtime, architecture,
 * tracing, bundling and logging are decided once. A caller's own settings win over the defaults; the
 * environment and the bundling options are merged key by key rather than replaced.
 */
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_ESBUILD_OPTIONS } from '../bundling.ts';

export interface SipFunctionProps extends Omit<NodejsFunctionProps, 'logGroup' | 'logRetention'> {
  /** The handler module, e.g. `functions/api/handler.ts`. */
  entry: string;
  /** Encrypts the function's log group: logs can carry personal data. */
  logEncryptionKey: IKey;
  /** How long the function's logs are kept. @default one year */
  logRetention?: RetentionDays;
}

export interface BindTableOptions {
  table: ITableV2;
  /** `read` for functions that only look; `readWrite` only for those that write. */
  accessMode: 'read' | 'readWrite';
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

export class SipFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: SipFunctionProps) {
    super(scope, id);
    const { logEncryptionKey, logRetention, environment, bundling, ...functionProps } = props;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: logRetention ?? RetentionDays.ONE_YEAR,
      encryptionKey: logEncryptionKey,
    });

    this.function = new NodejsFunction(this, 'Function', {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      depsLockFilePath: DEPS_LOCK_FILE,
      ...functionProps,
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
        // Like the bench, bundle the SDK too: one file, and no dependence on the runtime's SDK version.
        bundleAwsSDK: true,
        // esbuild is a devDependency: bundling must never fall back to Docker.
        forceDockerBundling: false,
        ...bundling,
      },
    });
  }

  /**
   * Gives the function its table: sets `TABLE_NAME` and grants exactly the access asked for, so a
   * function cannot get the name without the matching, least-privilege grant.
   */
  bindTable({ table, accessMode }: BindTableOptions): void {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    // Exactly the actions the functions use (transactions need the per-item actions), never Scan or batch writes.
    table.grant(this.function, ...TABLE_ACTIONS[accessMode]);
    if (accessMode === 'read') table.encryptionKey?.grantDecrypt(this.function);
    else table.encryptionKey?.grantEncryptDecrypt(this.function);
  }
}
