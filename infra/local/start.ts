/**
 * `npm start`: the whole service on this machine. DynamoDB Local (data under DATA_DIR, default `.data/`),
 * the table from the stack's definition, and the API on http://127.0.0.1:3000 through the same handlers
 * that run in Lambda. Ctrl-C stops everything, the Java process included — also during start-up.
 */
import { join } from 'node:path';
import { claimNamesFrom } from '../../shared/http/claims.ts';
import { redactText } from '../../shared/privacy/redaction.ts';
import { type LocalApi, startLocalApi } from './api.ts';
import { developmentClock } from './clock.ts';
import { type DynamoDbLocal, ensureTables, startDynamoDbLocal } from './dynamodb-local.ts';
import { BROWSER_CLIENT_ID, type LocalProvider, startLocalProvider } from './oidc/provider.ts';
import { type LocalReminders, startLocalReminders } from './reminders.ts';
import { localSettings } from './settings.ts';

const settings = localSettings();
// The API and the deadline check share one clock, which `npm run -s clock -- <days>` can move (development only).
const clock = developmentClock(settings.clockOffsetFile);
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

let dynamo: DynamoDbLocal | undefined;
let api: LocalApi | undefined;
let provider: LocalProvider | undefined;
let reminders: LocalReminders | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nStopping …');
    await reminders?.stop();
    await api?.close();
    await provider?.close();
    await dynamo?.stop();
  }
  process.exit(code);
}
// Registered before anything starts, so a signal during start-up still stops DynamoDB Local.
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  console.log(
    `Starting DynamoDB Local (${settings.inMemory ? 'in memory' : `data in ${join(settings.dataDir, 'dynamodb')}`}) …`,
  );
  dynamo = await startDynamoDbLocal({
    dataDir: settings.inMemory ? undefined : join(settings.dataDir, 'dynamodb'),
  });
  await ensureTables(dynamo.endpoint, settings);
  provider = await startLocalProvider({
    stateFile: settings.providerStateFile,
    claimNames: claimNamesFrom(process.env.CLAIM_NAMES),
    workspaceUrl: `http://127.0.0.1:${settings.port}`,
    port: settings.oidcPort,
  });
  api = await startLocalApi({
    dynamoDbEndpoint: dynamo.endpoint,
    tableName: settings.tableName,
    auditTableName: settings.auditTableName,
    identityKeyFile: settings.identityKeyFile,
    signIn: provider,
    port: settings.port,
    clock,
    log: (line) => console.log(redactText(line)),
  });
  reminders = startLocalReminders({
    dynamoDbEndpoint: dynamo.endpoint,
    tableName: settings.tableName,
    outbox: join(settings.dataDir, 'outbox'),
    appBaseUrl: api.url,
    intervalSeconds: settings.deadlineCheckIntervalSeconds,
    clock,
    log: (line) => console.log(redactText(line)),
  });
} catch (error) {
  console.error(redactText(`Could not start: ${(error as Error).message}`));
  await stop(1);
}

console.log(`
Workspace   ${api?.url}/app/  (sign in as a demo user)
SIP API     ${api?.url}
Docs        ${api?.url}/docs
OpenAPI     ${api?.url}/openapi.json
Sign-in     ${provider?.issuer}/.well-known/openid-configuration (client ${BROWSER_CLIENT_ID}, PKCE)
Token       npm run -s token -- --org SE2321000131-E000000000001
Data        ${settings.inMemory ? 'in memory (gone when stopped)' : settings.dataDir}
Reminders   checked every ${settings.deadlineCheckIntervalSeconds} s; messages in ${join(settings.dataDir, 'outbox')}

Ctrl-C stops the API and DynamoDB Local.`);
