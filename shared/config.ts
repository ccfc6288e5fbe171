import { DEFAULT_DEADLINE_SETTINGS, type DeadlineSettings } from './domain/deadlines/settings.ts';
import { type ClaimNames, claimNamesFrom } from './http/claims.ts';

/** The environment a function runs in, read once at init. Nothing in the domain reads it. */
export interface Config {
  tableName: string;
  /** The audit log's table (`AUDIT_TABLE_NAME`): set for the functions that serve callers. */
  auditTableName?: string | undefined;
  /**
   * Where the key of the personal-identity hash comes from: a Secrets Manager secret in AWS
   * (`IDENTITY_KEY_SECRET_ARN`), a key file locally (`IDENTITY_KEY_FILE`).
   */
  identityKey?: { secretArn: string } | { file: string } | undefined;
  deadlineSettings: DeadlineSettings;
  /** Which token claims carry the user, organisation, unit and scopes (`CLAIM_NAMES`, JSON). */
  claimNames: ClaimNames;
  /**
   * The report register (`REPORT_PRINCIPALS`): each principal's organisation id and the code an export
   * names it by, e.g. `{"SE2321000131":"14","SE2120001801":"1480"}`.
   */
  reportPrincipals: Record<string, string>;
  /** The reminder queue the deadline check hands reminders to (`REMINDER_QUEUE_URL`). */
  reminderQueueUrl?: string | undefined;
  /** The address reminders and kallelser come from (`EMAIL_FROM`), and the link in them (`APP_BASE_URL`). */
  emailFrom?: string | undefined;
  appBaseUrl?: string | undefined;
  /** The bucket the monthly report export writes to (`REPORT_BUCKET`). */
  reportBucket?: string | undefined;
  /**
   * How the workspace signs users in: the issuer (`JWT_ISSUER`, the same the gateway trusts), the audience
   * its access tokens carry (`JWT_AUDIENCE`), and its own confidential client (`WEB_CLIENT_ID`, default
   * `sip-web`) whose secret is a Secrets Manager secret in AWS (`WEB_CLIENT_SECRET_ARN`) and given by the local
   * runtime (`WEB_CLIENT_SECRET`).
   */
  signIn?:
    | {
        issuer: string;
        audience: string;
        clientId: string;
        clientSecret: { secretArn: string } | { value: string };
      }
    | undefined;
  /** DynamoDB Local's endpoint; unset in AWS. */
  dynamoDbEndpoint?: string | undefined;
  region?: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  return {
    tableName,
    auditTableName: env.AUDIT_TABLE_NAME || undefined,
    identityKey: env.IDENTITY_KEY_SECRET_ARN
      ? { secretArn: env.IDENTITY_KEY_SECRET_ARN }
      : env.IDENTITY_KEY_FILE
        ? { file: env.IDENTITY_KEY_FILE }
        : undefined,
    deadlineSettings: deadlineSettingsFrom(env.DEADLINE_SETTINGS),
    claimNames: claimNamesFrom(env.CLAIM_NAMES),
    reportPrincipals: env.REPORT_PRINCIPALS
      ? (JSON.parse(env.REPORT_PRINCIPALS) as Record<string, string>)
      : {},
    reminderQueueUrl: env.REMINDER_QUEUE_URL || undefined,
    emailFrom: env.EMAIL_FROM || undefined,
    appBaseUrl: env.APP_BASE_URL || undefined,
    reportBucket: env.REPORT_BUCKET || undefined,
    signIn:
      env.JWT_ISSUER && env.JWT_AUDIENCE && (env.WEB_CLIENT_SECRET_ARN || env.WEB_CLIENT_SECRET)
        ? {
            issuer: env.JWT_ISSUER,
            audience: env.JWT_AUDIENCE,
            clientId: env.WEB_CLIENT_ID || 'sip-web',
            clientSecret: env.WEB_CLIENT_SECRET_ARN
              ? { secretArn: env.WEB_CLIENT_SECRET_ARN }
              : { value: env.WEB_CLIENT_SECRET ?? '' },
          }
        : undefined,
    dynamoDbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION,
  };
}

/**
 * The origins of browser-based API clients that may call the API (`CORS_ALLOWED_ORIGINS`, comma-separated,
 * e.g. `https://journal.region.example.se`); none by default. Read when the stack is synthesized (the HTTP
 * API's CORS) and by the local runtime.
 */
export function allowedOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  const origins = (env.CORS_ALLOWED_ORIGINS ?? '').split(',').map((origin) => origin.trim());
  for (const origin of origins.filter(Boolean)) {
    if (!/^https?:\/\/[^/\s:]+(:\d{1,5})?$/.test(origin)) {
      throw new Error(`CORS_ALLOWED_ORIGINS: ${origin} is not an origin such as https://app.example.se`);
    }
  }
  return origins.filter(Boolean);
}

/**
 * `DEADLINE_SETTINGS` overrides any of the defaults as JSON, e.g. `{"followUpReminderDaysBefore":14}`.
 * A setting that is not a whole number of days stops the function at init rather than remind at random.
 */
function deadlineSettingsFrom(json: string | undefined): DeadlineSettings {
  if (!json) return DEFAULT_DEADLINE_SETTINGS;
  const overrides = JSON.parse(json) as Record<string, unknown>;
  const settings = { ...DEFAULT_DEADLINE_SETTINGS, ...overrides };
  for (const [name, value] of Object.entries(settings)) {
    const values = Array.isArray(value) ? value : [value];
    if (!(name in DEFAULT_DEADLINE_SETTINGS) || !values.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new Error(`DEADLINE_SETTINGS: ${name} must be a known setting with whole days`);
    }
  }
  return settings as DeadlineSettings;
}
