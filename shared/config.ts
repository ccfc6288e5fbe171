/** The environment a function runs in, read once at init. Nothing in the domain reads it. */
export interface Config {
  tableName: string;
  /** DynamoDB Local's endpoint; unset in AWS. */
  dynamoDbEndpoint?: string | undefined;
  region?: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  return { tableName, dynamoDbEndpoint: env.DYNAMODB_ENDPOINT || undefined, region: env.AWS_REGION };
}
