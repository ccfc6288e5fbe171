/** Settings of the local runtime, from the environment, with the embedded defaults. */
import { join, resolve } from 'node:path';

/**
 * The report register of the local runtime: the principals of the README's and the tests' example
 * organisations — Västra Götalandsregionen (regionkod 14) and Göteborgs Stad (kommunkod 1480).
 */
export const LOCAL_REPORT_PRINCIPALS = { SE2321000131: '14', SE2120001801: '1480' };

export const localSettings = (env: NodeJS.ProcessEnv = process.env) => {
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  return {
    dataDir,
    port: Number(env.PORT || 3000),
    /** `DYNAMODB_IN_MEMORY=true` keeps nothing between runs. */
    inMemory: env.DYNAMODB_IN_MEMORY === 'true',
    tableName: env.TABLE_NAME || 'sip-local',
    auditTableName: env.AUDIT_TABLE_NAME || 'sip-local-audit',
    /** The embedded OpenID Provider's port (`OIDC_PORT`); the issuer is http://127.0.0.1:<port>. */
    oidcPort: Number(env.OIDC_PORT || 3001),
    /** The provider's signing key, cookie keys and token-client secret: whoever reads it can mint tokens. */
    providerStateFile: join(dataDir, 'oidc-provider.json'),
    /** The key of the personal-identity hash (in AWS: a Secrets Manager secret). Losing it orphans the lookup index. */
    identityKeyFile: join(dataDir, 'identity-key'),
    /** Which principals exports name, and by which code (`REPORT_PRINCIPALS`, JSON). */
    reportPrincipals: env.REPORT_PRINCIPALS || JSON.stringify(LOCAL_REPORT_PRINCIPALS),
    /** Where `npm run report` writes its files. */
    reportsDir: join(dataDir, 'reports'),
    /** The development-only clock offset (`npm run -s clock -- <days>`); see `clock.ts`. */
    clockOffsetFile: join(dataDir, 'clock-offset'),
    /** How often the deadline check runs locally (in AWS: every 15 minutes). */
    deadlineCheckIntervalSeconds: Number(env.DEADLINE_CHECK_INTERVAL_SECONDS || 60),
  };
};
