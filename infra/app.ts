/**
 * The CDK app. It pins the region but not the account: synthesis needs no credentials and no lookups, and
 * the same template deploys to any account. Synthesis runs the cdk-nag packs and fails on any finding that
 * is neither fixed nor acknowledged with its reason.
 */
import { App } from 'aws-cdk-lib';
import { allowedOrigins } from '../shared/config.ts';
import { addComplianceChecks } from './constructs/compliance-checks.ts';
import { SipStack } from './sip-stack.ts';

const app = new App();
addComplianceChecks(app);

/** Plans hold Swedish health and social-care data: they stay in Stockholm unless `-c region=…` says otherwise. */
const region: unknown = app.node.tryGetContext('region') ?? 'eu-north-1';
if (typeof region !== 'string') throw new Error('The context value "region" must be a string');

new SipStack(app, 'SipStack', {
  env: { region },
  allowedOrigins: allowedOrigins(),
  description:
    'SIP (samordnad individuell plan): the plan and audit tables, the API and its HTTP API, and the deadline reminders',
});
