/**
 * The cdk-nag rule packs every synthesis of the service runs: AWS Solutions, HIPAA Security (the closest
 * published pack to the health data the plans hold) and Serverless. Registered on the app by `infra/app.ts`
 * and by the infra tests alike, so `cdk synth` and the tests judge the same templates by the same rules.
 *
 * An unacknowledged error fails synthesis. Every acknowledgement sits next to the resource it concerns
 * (`Validations.of(resource).acknowledge`) and says why the rule does not apply or what compensates.
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, type NagPack, ServerlessChecks } from 'cdk-nag';

/** A fresh instance of each pack, bound to `app`. */
export const compliancePacks = (app: App): NagPack[] => [
  new AwsSolutionsChecks(app),
  new HIPAASecurityChecks(app),
  new ServerlessChecks(app),
];

export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(...compliancePacks(app));
}
