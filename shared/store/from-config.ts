import type { Config } from '../config.ts';
import { createDocumentClient } from './client.ts';
import { createDeliveryLedger } from './delivery-ledger.ts';
import { createPlanStore } from './plan-store.ts';

/** The stores a function needs, built once at init from its configuration. */
export function storesFor(config: Config) {
  const client = createDocumentClient({
    tableName: config.tableName,
    endpoint: config.dynamoDbEndpoint,
    region: config.region,
  });
  return {
    plans: createPlanStore(client, config.tableName, config.deadlineSettings),
    deliveries: createDeliveryLedger(client, config.tableName),
  };
}
