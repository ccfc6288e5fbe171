/**
 * What a function that serves callers works with — the stores, the audit log, the identity key, the
 * settings — built once per container from its configuration, the same for the API and the workspace.
 */
import type { Config } from '../config.ts';
import { newId } from '../ids.ts';
import { loadIdentityReferences } from '../privacy/identity-key.ts';
import { principalRegister } from '../reporting/principals.ts';
import { storesFor } from '../store/from-config.ts';
import type { Services } from './kit.ts';

export type { Services };

export async function loadServices(config: Config): Promise<Services> {
  const identityReference = await loadIdentityReferences(config.identityKey);
  if (!identityReference)
    throw new Error('IDENTITY_KEY_SECRET_ARN (or IDENTITY_KEY_FILE locally) is not set');
  const stores = storesFor(config, identityReference);
  if (!stores.audit)
    throw new Error('AUDIT_TABLE_NAME is not set: a function serving callers needs its audit log');
  return {
    plans: stores.plans,
    idempotency: stores.idempotency,
    reports: stores.reports,
    book: stores.book,
    reportRegister: principalRegister(config.reportPrincipals),
    audit: stores.audit,
    sessions: stores.sessions,
    identityReference,
    deadlineSettings: config.deadlineSettings,
    newId,
  };
}
