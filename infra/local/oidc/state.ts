/**
 * What the local provider keeps in the data folder: its signing key (so that tokens and the JWKS survive
 * a restart), the keys of its cookies, and the secret of the token client. Made on first use, readable by
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
}

export async function loadOrCreateProviderState(file: string): Promise<ProviderState> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ProviderState;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const key = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
  const state: ProviderState = {
    jwks: { keys: [key] },
    cookieKeys: [randomBytes(32).toString('base64url')],
    tokenClientSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
  return state;
}
