/**
 * Builds CDK apps for the infra tests with the same feature flags as `cdk synth` (cdk.json's context) and
 * the same cdk-nag packs as `infra/app.ts`, so the templates under test are the templates that deploy, and
 * a synthesis with an unacknowledged finding fails here as it would there.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { addComplianceChecks } from '../../infra/constructs/compliance-checks.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context?: Record<string, unknown>;
};

/** The region infra/app.ts deploys to by default. */
export const REGION = 'eu-north-1';

/**
 * A CDK app as `infra/app.ts` makes it. `complianceChecks: false` is for fixture stacks that are not the
 * deployed one (the house construct's own tests): the packs judge `SipStack`.
 */
export function newApp(context: Record<string, unknown> = {}, { complianceChecks = true } = {}): App {
  const app = new App({ context: { ...cdkJson.context, ...context } });
  if (complianceChecks) addComplianceChecks(app);
  return app;
}

/** The logical id of the one resource of `type`; fails the test when there is not exactly one. */
export function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) throw new Error(`Expected exactly one ${type}, found ${ids.length}`);
  return ids[0] as string;
}

/** The plan table's logical id: the one GlobalTable that is not the audit log's. */
export function planTableId(template: Template): string {
  const ids = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable')).filter((id) =>
    id.startsWith('PlanTable'),
  );
  if (ids.length !== 1) throw new Error(`Expected exactly one plan table, found ${ids.length}`);
  return ids[0] as string;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of the inline policies attached to `roleLogicalId`. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as unknown[]).some(
        (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
      ),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

export const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
