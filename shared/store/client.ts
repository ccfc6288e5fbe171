import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface StoreConfig {
  tableName: string;
  /** Set only for DynamoDB Local; in AWS the SDK finds the regional endpoint. */
  endpoint?: string | undefined;
  region?: string | undefined;
}

/** The DynamoDB document client. Local endpoints get dummy credentials: DynamoDB Local checks none. */
export function createDocumentClient(config: StoreConfig): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(config.region && { region: config.region }),
    ...(config.endpoint && {
      endpoint: config.endpoint,
      region: config.region ?? 'eu-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
