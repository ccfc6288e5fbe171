import type { Config } from '../config.ts';
import type { IdentityReference } from '../privacy/identity-reference.ts';
import { createAuditLog } from './audit-log.ts';
import { createDocumentClient } from './client.ts';
import { createDeliveryLedger } from './delivery-ledger.ts';
import { createIdempotencyStore } from './idempotency.ts';
import { createPlanStore } from './plan-store.ts';
import { createReminderBook } from './reminder-book.ts';
import { createReportStore } from './report-events.ts';
import { createSessionStore } from './sessions.ts';

/**
 * The stores a function needs, built once at init from its configuration. Only a function that serves
 * callers has the audit table and the identity key; the others get neither.
 */
export function storesFor(config: Config, identityReference?: IdentityReference) {
  const client = createDocumentClient({
    tableName: config.tableName,
    endpoint: config.dynamoDbEndpoint,
    region: config.region,
  });
  return {
    plans: createPlanStore(client, config.tableName, config.deadlineSettings, identityReference),
    deliveries: createDeliveryLedger(client, config.tableName),
    idempotency: createIdempotencyStore(client, config.tableName),
    book: createReminderBook(client, config.tableName),
    reports: createReportStore(client, config.tableName),
    sessions: createSessionStore(client, config.tableName),
    audit: config.auditTableName ? createAuditLog(client, config.auditTableName) : undefined,
  };
}
