/**
 * What the local provider keeps in the data folder: its signing key (so that tokens and the JWKS survive
 * a restart), the keys of its cookies, and the secrets of the token client and the workspace's client. Made on first use, readable by
 * the owner only — whoever can read it can mint tokens, as with a real provider's key store.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface ProviderState {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
  tokenClientSecret: string;
  /** The secret of the workspace's confidential client (added to a state file made before it existed). */
  webClientSecret: string;
}

export async function loadOrCreateProviderState(file: string): Promise<ProviderState> {
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProviderState>;
    if (kept.webClientSecret) return kept as ProviderState;
    const state = { ...kept, webClientSecret: randomBytes(32).toString('base64url') } as ProviderState;
    writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
    return state;
  }
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const key = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
  const state: ProviderState = {
    jwks: { keys: [key] },
    cookieKeys: [randomBytes(32).toString('base64url')],
    tokenClientSecret: randomBytes(32).toString('base64url'),
    webClientSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
  return state;
}
