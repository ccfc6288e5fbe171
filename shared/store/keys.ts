/**
 * Every key of the table is built here and nowhere else.
 *
 * | item        | pk                | sk                  | index keys                                          |
 * |-------------|-------------------|---------------------|-----------------------------------------------------|
 * | plan        | PLAN#<planId>     | PLAN                |                                                     |
 * | revision    | PLAN#<planId>     | REV#<version, 10>   |                                                     |
 * | membership  | ORG#<orgId>       | PLAN#<planId>       | byOrgStatus: ORG#<orgId>#STATUS#<status>, PLAN#<id> |
 * | due entry   | PLAN#<planId>     | DUE                 | dueByTime: DUE#<shard 0–7>, <next due, UTC ISO>#<id> |
 * | delivery    | PLAN#<planId>     | DELIVERY#<id>       |                                                     |
 * | reminder    | PLAN#<planId>     | REMINDER#<id>       |                                                     |
 * | held        | PLAN#<planId>     | HELD#<deliveryId>   | dueByTime: DUE#<shard 0–7>, <until, UTC ISO>#<id>    |
 * | timed states| PLAN#<planId>     | TIMED               |                                                     |
 * | person      | PERSON#<ref>      | PLAN#<planId>       |                                                     |
 * | report event| REPORT#<yyyy-mm>  | EVENT#<principal>#<at, UTC ISO>#<planId>#<version, 10> |                  |
 * | closing     | REPORT#<yyyy-mm>  | CLOSING             |                                                     |
 * | idempotency | IDEMPOTENCY#<hash>| IDEMPOTENCY         |                                                     |
 * | session     | SESSION#<hash>    | SESSION             |                                                     |
 *
 * `<ref>` is the individual's identity reference, a keyed hash: no personal identity number is ever in a key.
 * `<hash>` is the SHA-256 of the caller's organisation, user and Idempotency-Key: a client's key can never
 * reach into another caller's records, nor into any other key's space. A session's `<hash>` is the SHA-256 of
 * the workspace's session cookie: the table (and every backup of it) holds no cookie a browser could send.
 *
 * Report events are partitioned by the Stockholm month in which their write was recorded, so an export
 * Queries only its period's partitions, and sorted by principal, so one principal's export reads only its
 * own. A month's closing item holds every principal's end-of-month states (see `shared/reporting/balance.ts`).
 *
 * The audit table (its own table, append-only):
 *
 * | entry       | PLAN#<planId>          | <at, UTC ISO>#<requestId> |
 * | entry       | ORG#<orgId>#<yyyy-mm>  | <at, UTC ISO>#<requestId> |  (requests that concern no one plan)
 *
 * Plan ids are UUIDv7, so an organisation's memberships sort by creation time. Organisation ids — in plans
 * and in tokens alike — are validated to exclude `#`, so no id can reach into another key's space.
 */
import type { PlanStatus } from '../domain/plan.ts';

const pad = (version: number) => String(version).padStart(10, '0');

const membershipStatusPartition = (organisationId: string, status: PlanStatus) =>
  `ORG#${organisationId}#STATUS#${status}`;

/** Shards of the due-time index: spreads writes and reads over partitions; the check reads each shard. */
export const DUE_SHARDS = 8;

/** A plan's shard: a stable hash of its id. */
const dueShardOf = (planId: string) => {
  let hash = 0;
  for (const char of planId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % DUE_SHARDS;
};

export const keys = {
  plan: (planId: string) => ({ pk: `PLAN#${planId}`, sk: 'PLAN' }),
  revision: (planId: string, version: number) => ({ pk: `PLAN#${planId}`, sk: `REV#${pad(version)}` }),
  revisionPrefix: 'REV#',
  membership: (organisationId: string, planId: string) => ({
    pk: `ORG#${organisationId}`,
    sk: `PLAN#${planId}`,
  }),
  membershipPartition: (organisationId: string) => `ORG#${organisationId}`,
  membershipStatusPartition,
  dueEntry: (planId: string) => ({ pk: `PLAN#${planId}`, sk: 'DUE' }),
  /** One delivery of one reminder on one channel: the ledger that makes delivery exactly-once. */
  delivery: (planId: string, deliveryId: string) => ({ pk: `PLAN#${planId}`, sk: `DELIVERY#${deliveryId}` }),
  /** One reminder (deadline and stage) or delivery the check handled: the service's bookkeeping, beside the plan. */
  reminder: (planId: string, reminderId: string) => ({ pk: `PLAN#${planId}`, sk: `REMINDER#${reminderId}` }),
  reminderPrefix: 'REMINDER#',
  /** A message held back (an SMS in the quiet hours), in the due-time index until it may go. */
  held: (planId: string, deliveryId: string) => ({ pk: `PLAN#${planId}`, sk: `HELD#${deliveryId}` }),
  heldPrefix: 'HELD#',
  /** The index keys of a plan's due entry (and of its held messages). UTC ISO strings sort in time order. */
  dueIndex: (planId: string, dueAt: Date) => ({
    dueShard: `DUE#${dueShardOf(planId)}`,
    dueAt: `${dueAt.toISOString()}#${planId}`,
  }),
  dueShard: (shard: number) => `DUE#${shard}`,
  /** The upper bound of a due-index query: everything due at or before `now`. */
  dueUpTo: (now: Date) => `${now.toISOString()}#~`,
  /** The first answer to a request made with an Idempotency-Key (see `idempotency.ts`). */
  idempotency: (scopedKeyHash: string) => ({ pk: `IDEMPOTENCY#${scopedKeyHash}`, sk: 'IDEMPOTENCY' }),
  /** A signed-in user's session of the workspace (or a sign-in under way), by the hash of its cookie. */
  session: (cookieHash: string) => ({ pk: `SESSION#${cookieHash}`, sk: 'SESSION' }),
  /** A plan of an individual, by identity reference: backs `GET /plans?personalIdentity=…`. */
  person: (identityRef: string, planId: string) => ({ pk: `PERSON#${identityRef}`, sk: `PLAN#${planId}` }),
  personPartition: (identityRef: string) => `PERSON#${identityRef}`,
  auditEntry: (entry: {
    at: string;
    requestId: string;
    planId?: string | undefined;
    organisationId: string;
  }) => ({
    pk: entry.planId ? `PLAN#${entry.planId}` : `ORG#${entry.organisationId}#${entry.at.slice(0, 7)}`,
    sk: `${entry.at}#${entry.requestId}`,
  }),
  auditPartition: (planId: string) => `PLAN#${planId}`,
  /** One principal's event of one plan write (a write has one version, so the key is unique). */
  reportEvent: (month: string, principal: string, at: string, planId: string, version: number) => ({
    pk: `REPORT#${month}`,
    sk: `EVENT#${principal}#${at}#${planId}#${pad(version)}`,
  }),
  reportMonthPartition: (month: string) => `REPORT#${month}`,
  /** The sort-key prefix of a month's events: every principal's, or one principal's. */
  reportEventPrefix: (principal?: string) => (principal ? `EVENT#${principal}#` : 'EVENT#'),
  /** One principal's change of a plan's timed states, counted by the deadline check (`seq`: its count). */
  reportTimedEvent: (month: string, principal: string, at: string, planId: string, seq: number) => ({
    pk: `REPORT#${month}`,
    sk: `EVENT#${principal}#${at}#${planId}#T${pad(seq)}`,
  }),
  /** A plan's timed states (consent lapsed, follow-up overdue) as the reports last counted them. */
  timedStates: (planId: string) => ({ pk: `PLAN#${planId}`, sk: 'TIMED' }),
  /** A month's closing states, written once the month is over. */
  reportClosing: (month: string) => ({ pk: `REPORT#${month}`, sk: 'CLOSING' }),
  membershipByStatus: (organisationId: string, status: PlanStatus, planId: string) => ({
    byOrgStatusPk: membershipStatusPartition(organisationId, status),
    byOrgStatusSk: `PLAN#${planId}`,
  }),
};
