import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { findChromium } from './chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
  }
}

/**
 * Checks that the browser tests have a Chromium, then starts one in-memory DynamoDB Local for the run and
 * stops it (Java process included) afterwards.
 */
export default async function setup(project: TestProject) {
  // The browser tests need one: better to stop now, in one line, than to fail three files minutes from now.
  findChromium();
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamoDbEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
