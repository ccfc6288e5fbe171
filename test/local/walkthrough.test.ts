/**
 * The walk-through (docs/walkthrough.md) runs as written: every shell block, in order, in one bash session
 * against `npm start` — the only change is the port, which the test picks free. The answers it shows are
 * checked: every command of the process succeeds, home care reads the plan once consent names it, bad input
 * is a 400 problem, and Elsa's plan ends closed with the history the page gives.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.ts';
import { nodeArgs } from '../support/scripts.ts';

const { TABLE_NAME: _table, DYNAMODB_ENDPOINT: _endpoint, ...userEnvironment } = process.env;
const dataDir = mkdtempSync(join(tmpdir(), 'sip-walkthrough-'));
let runtime: ChildProcess | undefined;
afterAll(async () => {
  if (runtime && runtime.exitCode === null) {
    await new Promise((resolve) => {
      runtime?.once('exit', resolve);
      runtime?.kill('SIGTERM');
    });
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** The page's shell blocks, in order. */
const shellBlocks = (page: string) =>
  [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, code]) => code ?? '');

describe('the walk-through', () => {
  it('runs as written against npm start, and answers as it says', async () => {
    const port = await freePort();
    const env = {
      ...userEnvironment,
      PORT: String(port),
      OIDC_PORT: String(await freePort()),
      DATA_DIR: dataDir,
    };
    runtime = spawn(process.execPath, nodeArgs('start'), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    runtime.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    runtime.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 90_000;
    while (!output.includes('Ctrl-C stops')) {
      if (runtime.exitCode !== null || Date.now() > deadline)
        throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const blocks = shellBlocks(readFileSync('docs/walkthrough.md', 'utf8'));
    expect(blocks.length).toBeGreaterThan(10);
    const script = [
      ...blocks.map((block) => block.replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`)),
      // What the page says the plan looks like at the end.
      `curl -s "http://127.0.0.1:${port}/plans/$PLAN" -H "Authorization: Bearer $TOKEN" > "${dataDir}/final.json"`,
      `curl -s "http://127.0.0.1:${port}/plans/$PLAN/revisions" -H "Authorization: Bearer $TOKEN" > "${dataDir}/revisions.json"`,
      'npm run -s clock -- 0',
      'rm -f elsas-plan.html',
    ].join('\n');
    const shown = await new Promise<string>((resolve, reject) =>
      execFile(
        'bash',
        ['-c', script],
        { env, timeout: 180_000, maxBuffer: 10_000_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );

    // Every command of the process: `<status> etag="<n>.<view>"`, all 2xx, the version moving on one by one.
    const answers = [...shown.matchAll(/^(\d{3}) etag="(\d+)\.[\w-]+"$/gm)].map(([, status, etag]) => [
      Number(status),
      Number(etag),
    ]);
    expect(answers.map(([status]) => status)).toEqual(Array(answers.length).fill(200));
    expect(answers.map(([, etag]) => etag)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(shown).toMatch(/^HTTP\/1\.1 201 Created/m);
    // Home care reads the plan once the consent names it.
    expect(shown).toMatch(/^200$/m);
    // Bad input: a 400 problem naming the failing fields.
    expect(shown).toContain('"status":400');

    const final = JSON.parse(readFileSync(join(dataDir, 'final.json'), 'utf8'));
    expect(final).toMatchObject({ status: 'closed', closure: { reason: 'needsMet' } });
    const actions = JSON.parse(readFileSync(join(dataDir, 'revisions.json'), 'utf8')).items.map(
      (r: { action: string }) => r.action,
    );
    expect(actions).toEqual([
      'create',
      'patch',
      'recordDischargeEvent',
      'giveConsent',
      'giveConsent',
      'sendInvitation',
      'respondToInvitation',
      'establish',
      'recordFollowUp',
    ]);
  }, 300_000);
});
