/**
 * One audit log entry (loggning, HSLF-FS 2016:40 4 kap. 9 §): who accessed what, when, and how it ended.
 * Every request a caller makes — each read, write and list, allowed or not — leaves exactly one. It names
 * the individual only by the identity reference, a keyed hash, so the log itself holds no personal data.
 */
import * as z from 'zod/mini';

export const AuditOutcome = z.enum([
  /** Done. */
  'allowed',
  /** Refused by the policy: missing scope, not taking part, no consent, read-only. */
  'denied',
  /** Refused for what was asked: invalid input, a rule of the process, a changed version. */
  'rejected',
  /** Failed on our side. */
  'failed',
]);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditEntry = z.strictObject({
  at: z.string(),
  requestId: z.string(),
  userId: z.string(),
  organisationId: z.string(),
  unitId: z.optional(z.string()),
  /** The operation, as the API names it (`getPlan`, `close` …). */
  action: z.string(),
  planId: z.optional(z.string()),
  /** The individual's identity reference: a keyed hash of the personal identity, never the number. */
  individualRef: z.optional(z.string()),
  outcome: AuditOutcome,
  status: z.int(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** How a request ended, from its status and whether the policy refused it. */
export function outcomeOf(status: number, deniedByPolicy: boolean): AuditOutcome {
  if (deniedByPolicy) return 'denied';
  if (status < 400) return 'allowed';
  return status < 500 ? 'rejected' : 'failed';
}
