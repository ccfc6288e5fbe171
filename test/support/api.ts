/** The API as a client sees it: the local gateway and the Lambda handler, against DynamoDB Local. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand as ScanItems } from '@aws-sdk/lib-dynamodb';
import { startLocalApi } from '../../infra/local/api.ts';
import { requestToken, type TokenRequest } from '../../infra/local/auth.ts';
import { ensureTables, localClient } from '../../infra/local/dynamodb-local.ts';
import { API_AUDIENCE, startLocalProvider } from '../../infra/local/oidc/provider.ts';
import type { AuditEntry } from '../../shared/audit/entry.ts';
import { DEFAULT_CLAIM_NAMES } from '../../shared/http/claims.ts';
import { nowSeconds, providerKey, signWith } from './tokens.ts';

export const ORG = 'SE2321000131-E000000000001';
export const OTHER_ORG = 'SE2321000131-E000000000999';

/**
 * The day the tests' API lives on unless a test says otherwise: day 8 of Elsa's scenario, after her
 * consents were given and before her meeting. A fixed day keeps the fixtures' dates where the process
 * rules want them (a meeting called ahead, a moment reported after it happened) as the calendar moves.
 */
export const TEST_NOW = new Date('2026-11-10T09:00:00+01:00');

/**
 * Starts the API for one test file. `clock`, when given, is the instant API Gateway stamps each request
 * with — the instant every decision of the request is made at. Without it, requests are stamped
 * {@link TEST_NOW} — or from the instant a test pins with `at` — plus the time since.
 */
export async function startTestApi(
  options: { clock?: () => Date; dynamoDbEndpoint?: string; allowedOrigins?: string[] } = {},
) {
  // The day is fixed, the time runs: requests keep their order in the audit log and in lists.
  const startedAt = performance.now();
  let pinned: { at: Date; since: number } | undefined;
  const clock = () =>
    pinned
      ? new Date(pinned.at.getTime() + (performance.now() - pinned.since))
      : (options.clock?.() ?? new Date(TEST_NOW.getTime() + (performance.now() - startedAt)));
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? '';
  const tableName = process.env.TABLE_NAME ?? '';
  const auditTableName = `${tableName}-audit`;
  await ensureTables(endpoint, { tableName, auditTableName });
  const folder = mkdtempSync(join(tmpdir(), 'sip-keys-'));
  const providerStateFile = join(folder, 'oidc-provider.json');
  // One provider per test API: the gateway trusts it, and every ordinary token comes from it. It starts once
  // the API's port is bound, to register the workspace's redirects under it.
  let provider: Awaited<ReturnType<typeof startLocalProvider>> | undefined;
  const api = await startLocalApi({
    // The API may reach DynamoDB Local through another way in (a test's fault-injecting proxy).
    dynamoDbEndpoint: options.dynamoDbEndpoint ?? endpoint,
    tableName,
    auditTableName,
    identityKeyFile: join(folder, 'identity-key'),
    signIn: async (workspaceUrl) => {
      provider = await startLocalProvider({
        stateFile: providerStateFile,
        claimNames: DEFAULT_CLAIM_NAMES,
        workspaceUrl,
      });
      return provider;
    },
    allowedOrigins: options.allowedOrigins ?? [],
    clock,
  });
  if (!provider) throw new Error('the provider did not start');
  const providerIssuer = provider.issuer;
  const tokenClientSecret = provider.tokenClientSecret;
  const stopProvider = provider.close;
  const tokens = new Map<string, Promise<string>>();

  /**
   * A token for `request` (default: ORG, user-1, read and write), issued by the provider. What the provider
   * never issues — another issuer or audience, an expired token — is signed here with its key instead.
   */
  const token = (request: Partial<TokenRequest> = {}) => {
    const full = { organisationId: ORG, userId: 'user-1', ...request };
    const cacheKey = JSON.stringify(full);
    let cached = tokens.get(cacheKey);
    if (!cached) {
      const { issuer, audience, expiresIn, ...identity } = full;
      cached =
        issuer !== undefined || audience !== undefined || (expiresIn !== undefined && expiresIn <= 0)
          ? forged(full)
          : requestToken(providerIssuer, tokenClientSecret, {
              ...identity,
              ...(expiresIn !== undefined && { expiresIn }),
            });
      tokens.set(cacheKey, cached);
      // A failed request is not remembered: the next call asks again.
      cached.catch(() => tokens.delete(cacheKey));
    }
    return cached;
  };

  const forged = async (request: TokenRequest) => {
    const { jwk, kid } = providerKey(providerStateFile);
    const iat = nowSeconds() + Math.min(0, (request.expiresIn ?? 0) - 60);
    return signWith(
      jwk,
      { alg: 'RS256', typ: 'at+jwt', kid },
      {
        iss: request.issuer ?? providerIssuer,
        aud: request.audience ?? API_AUDIENCE,
        sub: request.userId ?? 'local-user',
        org_id: request.organisationId,
        ...(request.unitId && { unit_id: request.unitId }),
        scope: (request.scopes ?? ['sip.read', 'sip.write']).join(' '),
        iat,
        exp: nowSeconds() + (request.expiresIn ?? 3600),
      },
    );
  };

  /** A request with a token for `as` (default: ORG with read and write scopes) and a JSON body. */
  const call = async (
    method: string,
    path: string,
    options: {
      body?: unknown;
      /** The body as it is sent: text, or bytes exactly (to send what is not UTF-8). */
      rawBody?: string | Uint8Array;
      headers?: Record<string, string>;
      as?: Partial<TokenRequest> | null;
    } = {},
  ) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as !== null) headers.authorization = `Bearer ${await token(options.as ?? {})}`;
    const raw = options.rawBody;
    const body =
      raw === undefined
        ? options.body === undefined
          ? undefined
          : JSON.stringify(options.body)
        : typeof raw === 'string'
          ? raw
          : new Uint8Array(raw);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers,
      ...(body !== undefined && { body }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response documents
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  };

  /** Every item in the table: to prove that a refused write wrote nothing. */
  const itemCount = async () => {
    const { Count = 0 } = await localClient(endpoint).send(
      new ScanCommand({ TableName: tableName, Select: 'COUNT' }),
    );
    return Count;
  };

  /** Every entry of the audit log, in no particular order. */
  const auditEntries = async (): Promise<AuditEntry[]> => {
    const entries: AuditEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await DynamoDBDocumentClient.from(localClient(endpoint)).send(
        new ScanItems({ TableName: auditTableName, ...(start && { ExclusiveStartKey: start }) }),
      );
      for (const item of page.Items ?? []) entries.push(item.entry as AuditEntry);
      start = page.LastEvaluatedKey;
    } while (start);
    return entries;
  };

  /** Stamps the requests that follow with `instant` (undefined: back to the default). */
  const at = (instant: Date | undefined) => {
    pinned = instant && { at: instant, since: performance.now() };
  };
  const pinnedAt = () => pinned?.at;

  const close = async () => {
    await api.close();
    await stopProvider();
  };

  return {
    url: api.url,
    issuer: providerIssuer,
    providerStateFile,
    close,
    token,
    call,
    itemCount,
    auditEntries,
    at,
    pinnedAt,
    now: clock,
  };
}
