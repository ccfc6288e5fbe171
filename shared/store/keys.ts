/**
 * Every key of the table is built here and nowhere else.
 *
 * | item        | pk                | sk                  | index keys                                          |
 * |-------------|-------------------|---------------------|-----------------------------------------------------|
 * | plan        | PLAN#<planId>     | PLAN                |                                                     |
 * | revision    | PLAN#<planId>     | REV#<version, 10>   |                                                     |
 * | membership  | ORG#<orgId>       | PLAN#<planId>       | byOrgStatus: ORG#<orgId>#STATUS#<status>, PLAN#<id> |
 *
 * Plan ids are UUIDv7, so an organisation's memberships sort by creation time. Organisation ids — in plans
 * and in tokens alike — are validated to exclude `#`, so no id can reach into another key's space.
 */
import type { PlanStatus } from '../domain/plan.ts';

const pad = (version: number) => String(version).padStart(10, '0');

const membershipStatusPartition = (organisationId: string, status: PlanStatus) =>
  `ORG#${organisationId}#STATUS#${status}`;

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
  membershipByStatus: (organisationId: string, status: PlanStatus, planId: string) => ({
    byOrgStatusPk: membershipStatusPartition(organisationId, status),
    byOrgStatusSk: `PLAN#${planId}`,
  }),
};
