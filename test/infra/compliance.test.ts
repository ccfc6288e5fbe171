import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compliancePacks } from '../../infra/constructs/compliance-checks.ts';
import { SipStack } from '../../infra/sip-stack.ts';
import { actionsOf, newApp, REGION, type Statement } from './synth.ts';

let app: ReturnType<typeof newApp>;
let stack: SipStack;
let template: Template | undefined;
let synthesisError: unknown;

beforeAll(() => {
  // Synthesising bundles the functions with esbuild, so it happens once for the whole file. The app runs
  // the packs as `cdk synth` does: an unacknowledged error makes synthesis throw, with the report.
  app = newApp();
  stack = new SipStack(app, 'SipStack', { env: { region: REGION } });
  try {
    template = Template.fromStack(stack);
  } catch (error) {
    synthesisError = error;
  }
}, 120_000);

/** Every acknowledgement in the tree: where it was made, the rule it names, and why. */
function acknowledgements(root: IConstruct) {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason })),
  );
}

describe('the cdk-nag packs (AWS Solutions, HIPAA Security, Serverless)', () => {
  it('let the stack synthesise, as `cdk synth` does with the same packs', () => {
    expect(synthesisError).toBeUndefined();
  });

  it('find nothing that is neither fixed nor acknowledged, error or warning', () => {
    // Warnings do not stop synthesis, so the packs are asked directly, on the synthesised tree.
    const findings = compliancePacks(app).flatMap((pack) =>
      pack
        .validateScope(app)
        .violations.flatMap((violation) =>
          violation.violatingResources.map(
            (resource) =>
              `${violation.severity} ${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
          ),
        ),
    );
    expect(findings).toEqual([]);
  });

  it('are each acknowledged with a reason of its own, never with a bare rule id', () => {
    const acknowledged = acknowledgements(stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledged) {
      expect(id, path).toMatch(/^(AwsSolutions|HIPAA\.Security|Serverless)-\w+/);
      expect(reason.length, `${id} at ${path}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('are acknowledged next to the resources, never for the whole stack or app', () => {
    for (const { path } of acknowledgements(stack)) expect(path).not.toBe(stack.node.path);
    expect(acknowledgements(app).filter(({ path }) => path === '')).toEqual([]);
  });
});

describe('what the acknowledgements cover stays what they say', () => {
  const policies = () =>
    Object.entries(template?.findResources('AWS::IAM::Policy') ?? {}).map(([id, policy]) => ({
      id,
      statements: policy.Properties.PolicyDocument.Statement as Statement[],
    }));

  it('no IAM policy grants on "*" anything but X-Ray’s tracing and, for the notify function, SMS', () => {
    expect(policies().length).toBeGreaterThan(0);
    for (const { id, statements } of policies()) {
      const wildcard = statements.filter((s) => s.Resource === '*').flatMap(actionsOf);
      const allowed = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
      if (id.startsWith('RemindersNotifyFunction')) allowed.push('sns:Publish');
      expect(
        wildcard.filter((action) => !allowed.includes(action)),
        id,
      ).toEqual([]);
    }
  });

  it('no IAM policy grants a wildcard action', () => {
    for (const { id, statements } of policies()) {
      expect(
        statements.flatMap(actionsOf).filter((action) => action.includes('*')),
        id,
      ).toEqual([]);
    }
  });
});
