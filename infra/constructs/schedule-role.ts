/**
 * The role an EventBridge Scheduler schedule runs as, made by us rather than by the target, so that it can
 * also be granted the key its KMS-encrypted dead-letter queue needs. Its trust is held to this account's
 * default schedule group.
 */
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** `needs`: what the role's inline policy holds, for the acknowledgement's reason. */
export function scheduleRole(scope: Construct, key: IKey, needs: string): Role {
  const stack = Stack.of(scope);
  const role = new Role(scope, 'ScheduleRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:SourceArn': stack.formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: 'default',
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        },
      },
    }),
  });
  key.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
  Validations.of(role).acknowledge({
    id: 'HIPAA.Security-IAMNoInlinePolicy',
    reason: `The inline policy belongs to this one role and holds only what the schedule needs (${needs}); AWS recommends inline policies for such one-to-one relationships.`,
  });
  return role;
}
