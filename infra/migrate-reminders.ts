/**
 * `npm run migrate`: moves the reminder bookkeeping out of plans written before the reminder book (see
 * `shared/store/migrate-reminders.ts`). Locally it runs against the data folder's DynamoDB Local (start
 * the service once, or run it while `npm start` runs); in AWS set TABLE_NAME (and AWS_REGION) and run it
 * with credentials that may scan and write the table. Prints counts, never a plan.
 */

import { loadConfig } from '../shared/config.ts';
import { createDocumentClient } from '../shared/store/client.ts';
import { storesFor } from '../shared/store/from-config.ts';
import { migrateReminders } from '../shared/store/migrate-reminders.ts';
import { startDynamoDbLocal } from './local/dynamodb-local.ts';
import { localSettings } from './local/settings.ts';

const inAws = Boolean(process.env.TABLE_NAME) && !process.env.DYNAMODB_ENDPOINT;
const local =
  inAws || process.env.DYNAMODB_ENDPOINT
    ? undefined
    : await startDynamoDbLocal({ dataDir: localSettings().dataDir });
try {
  const config = loadConfig({
    ...process.env,
    TABLE_NAME: process.env.TABLE_NAME ?? localSettings().tableName,
    ...(local && { DYNAMODB_ENDPOINT: local.endpoint }),
  });
  const { plans, book, reports } = storesFor(config);
  const client = createDocumentClient({
    tableName: config.tableName,
    endpoint: config.dynamoDbEndpoint,
    region: config.region,
  });
  const result = await migrateReminders({
    client,
    tableName: config.tableName,
    plans,
    book,
    reports,
    settings: config.deadlineSettings,
    now: new Date(),
    onProgress: (r) => process.stderr.write(`\r${r.plansRead} plans read, ${r.plansMoved} moved`),
  });
  process.stderr.write('\n');
  console.log(JSON.stringify(result));
} finally {
  await local?.stop();
}
