import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

// Every test file runs in its own worker with its own table, so files never see each other's plans.
process.env.DYNAMODB_ENDPOINT = inject('dynamoDbEndpoint');
process.env.TABLE_NAME = `sip-test-${randomUUID()}`;
