/**
 * What one request leaves in the audit log, gathered as it runs: the handler starts it, the operations
 * say which plan (and so which individual) the request concerns and whether the policy refused it, and
 * the entry is written exactly once — inside a write's transaction, or by the handler at the end.
 */
import type { Caller } from '../policy/policy.ts';
import { type AuditEntry, outcomeOf } from './entry.ts';

export interface AuditTrail {
  /** The request concerns this plan and/or this individual (by identity reference). */
  concerns(about: { planId?: string; individualRef?: string }): void;
  /** The policy refused the request. */
  denied(): void;
  /** The entry for a request that ends with `status`. */
  entry(status: number): AuditEntry;
  /** Set once the entry is stored (by a write's transaction), so that it is not stored twice. */
  recorded: boolean;
}

export function startAuditTrail(request: {
  caller: Caller;
  action: string;
  requestId: string;
  now: Date;
}): AuditTrail {
  let planId: string | undefined;
  let individualRef: string | undefined;
  let denied = false;
  return {
    concerns(about) {
      planId = about.planId ?? planId;
      individualRef = about.individualRef ?? individualRef;
    },
    denied() {
      denied = true;
    },
    entry: (status) => ({
      at: request.now.toISOString(),
      requestId: request.requestId,
      userId: request.caller.userId,
      organisationId: request.caller.organisationId,
      ...(request.caller.unitId && { unitId: request.caller.unitId }),
      action: request.action,
      ...(planId && { planId }),
      ...(individualRef && { individualRef }),
      outcome: outcomeOf(status, denied),
      status,
    }),
    recorded: false,
  };
}
