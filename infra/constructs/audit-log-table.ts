/**
 * The audit log's table (HSLF-FS 2016:40's log of who accessed which plan): append-only, never expiring,
 * outliving the stack. Entries are kept at least five years, so the table has no TTL and is retained,
 * deletion-protected and recoverable to any point of the last 35 days.
 *
 * Append-only is held by two independent means: the functions are granted only `AUDIT_LOG_ACTIONS`
 * (see `SipFunction.bindAuditLog`), and the table's own resource policy denies every change or removal of an
 * item to every principal, so no later grant — a wider role, a console user — can alter an entry either.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AUDIT_TABLE } from '../../shared/store/table.ts';

/** Every way to change or remove an existing item, denied to everyone by the table's resource policy. */
export const AUDIT_LOG_DENIED_ACTIONS = [
  'dynamodb:DeleteItem',
  'dynamodb:UpdateItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLUpdate',
] as const;

export interface AuditLogTableProps {
  /** The customer-managed key: entries name users, organisations and plans. */
  encryptionKey: IKey;
}

export class AuditLogTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: AuditLogTableProps) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: AUDIT_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: AUDIT_TABLE.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(props.encryptionKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // No `timeToLiveAttribute`, deliberately: an entry must never expire.
      resourcePolicy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'AuditEntriesAreNeverChangedOrDeleted',
            effect: Effect.DENY,
            principals: [new AnyPrincipal()],
            actions: [...AUDIT_LOG_DENIED_ACTIONS],
            // The table's own ARN cannot appear in its policy (it does not exist yet); "*" means this table.
            resources: ['*'],
          }),
        ],
      }),
    });
  }
}
