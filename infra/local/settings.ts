/** Settings of the local runtime, from the environment, with the embedded defaults. */
import { join, resolve } from 'node:path';

export const localSettings = (env: NodeJS.ProcessEnv = process.env) => {
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  return {
    dataDir,
    port: Number(env.PORT || 3000),
    /** `DYNAMODB_IN_MEMORY=true` keeps nothing between runs. */
    inMemory: env.DYNAMODB_IN_MEMORY === 'true',
    tableName: env.TABLE_NAME || 'sip-local',
    auditTableName: env.AUDIT_TABLE_NAME || 'sip-local-audit',
    signingKeyFile: join(dataDir, 'local-signing-key.json'),
    /** The key of the personal-identity hash (in AWS: a Secrets Manager secret). Losing it orphans the lookup index. */
    identityKeyFile: join(dataDir, 'identity-key'),
    /** How often the deadline check runs locally (in AWS: every 15 minutes). */
    deadlineCheckIntervalSeconds: Number(env.DEADLINE_CHECK_INTERVAL_SECONDS || 60),
  };
};
