/**
 * `npm start` as a user runs it: a separate process with its own DynamoDB Local, a token from the token
 * CLI, a restart that keeps the plans, and Ctrl-C that leaves no Java process behind.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.ts';
import { minimal, VARDCENTRAL } from '../support/scenarios.ts';
import { nodeArgs } from '../support/scripts.ts';

// As a user's shell has it: none of the variables the test run sets for its own table.
const { TABLE_NAME: _table, DYNAMODB_ENDPOINT: _endpoint, ...userEnvironment } = process.env;
const dataDir = mkdtempSync(join(tmpdir(), 'sip-start-'));
const started: ChildProcess[] = [];
afterAll(async () => {
  // A failed assertion must not leave a runtime (and its Java process) behind.
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) await stopWith(child, 'SIGTERM');
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(port: number, oidcPort: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, nodeArgs('start'), {
    env: {
      ...userEnvironment,
      PORT: String(port),
      OIDC_PORT: String(oidcPort),
      DATA_DIR: dataDir,
      DEADLINE_CHECK_INTERVAL_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 60_000;
  while (!output.includes('Ctrl-C stops')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output };
}

function stopWith(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

const javaProcessesFor = (dir: string) => {
  try {
    return execFileSync('pgrep', ['-f', dir]).toString().trim();
  } catch {
    return '';
  }
};

describe('npm start', () => {
  it('serves the API and docs, keeps plans across a restart, and stops cleanly on SIGINT and SIGTERM', async () => {
    const port = await freePort();
    const oidcPort = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const issuer = `http://127.0.0.1:${oidcPort}`;
    const first = await start(port, oidcPort);
    expect(first.output()).toContain(`${url}/docs`);
    expect(first.output()).toContain(`${issuer}/.well-known/openid-configuration`);

    const token = execFileSync(
      process.execPath,
      nodeArgs('token', '--org', VARDCENTRAL, '--user', 'anna.andersson', '--roles', 'sip.read,sip.write'),
      { env: { ...userEnvironment, DATA_DIR: dataDir, OIDC_PORT: String(oidcPort) } },
    )
      .toString()
      .trim();
    // (The CLI ran first: a synchronous wait would outlast the keep-alive of a connection opened before it.)
    // Discovery and JWKS are served, and the token CLI's token verifies against them (jose, not the gateway).
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe(issuer);
    const jwks = async () => (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] };
    const keysBefore = await jwks();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer,
      audience: 'sip-api',
    });
    expect(payload).toMatchObject({
      sub: 'anna.andersson',
      org_id: VARDCENTRAL,
      scope: 'sip.read sip.write',
    });
    expect((await fetch(`${url}/docs`)).status).toBe(200);
    const created = await fetch(`${url}/plans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(minimal),
    });
    expect(created.status).toBe(201);
    const { planId } = (await created.json()) as { planId: string };

    // A discharge reported four days ago and no kallelse: the overdue reminder reaches the outbox within
    // seconds, addressed to the convener, without personal data — and only once, however long it runs.
    const fourDaysAgo = new Date(Date.now() - 4 * 86_400_000).toISOString();
    const discharged = await fetch(`${url}/plans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...minimal, initiation: { ...minimal.initiation, noticedAt: fourDaysAgo } }),
    });
    const { planId: dischargedId } = (await discharged.json()) as { planId: string };
    const event = await fetch(`${url}/plans/${dischargedId}/discharge-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '"1"' },
      body: JSON.stringify({ event: 'readyForDischarge', at: fourDaysAgo }),
    });
    expect(event.status).toBe(200);
    const isOverdueEmail = (f: string) =>
      f.startsWith(`${dischargedId}_kallelseAfterDischarge_`) && f.endsWith('_overdue_email.eml');
    const outboxDir = join(dataDir, 'outbox');
    const outboxFile = () =>
      join(outboxDir, (existsSync(outboxDir) ? readdirSync(outboxDir) : []).find(isOverdueEmail) ?? 'none');
    const deadline = Date.now() + 30_000;
    while (!existsSync(outboxFile()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3_000)); // three more checks
    const email = readFileSync(outboxFile(), 'utf8');
    expect(email).toContain('To: anna.andersson@example.se');
    expect(email).not.toMatch(/Tolvan|191212|Tolvansson/);
    const lines = first
      .output()
      .split('\n')
      .filter((line) => line.includes('outbox') && line.includes(dischargedId));
    expect(lines.filter((line) => line.includes('e-mail') && line.includes('_overdue_'))).toHaveLength(1);
    const emails = readdirSync(outboxDir).filter((f) => f.startsWith(dischargedId) && f.endsWith('.eml'));
    expect(emails).toHaveLength(1);
    expect(emails.every(isOverdueEmail)).toBe(true);

    expect(await stopWith(first.child, 'SIGINT')).toBe(0);
    expect(javaProcessesFor(dataDir)).toBe('');

    const second = await start(port, oidcPort);
    // The provider's keys survived the restart: the same JWKS, and the first run's token still verifies.
    expect(await jwks()).toEqual(keysBefore);
    const read = await fetch(`${url}/plans/${planId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect(await stopWith(second.child, 'SIGTERM')).toBe(0);
    expect(javaProcessesFor(dataDir)).toBe('');
  }, 180_000); // two cold starts of DynamoDB Local and the provider, on a shared machine
});
