/**
 * Tokens the provider would never issue, signed with whatever key the attack needs: the provider's own
 * (read from its state file, as an insider or a misconfigured issuer would sign), another key, or none.
 */
import { readFileSync } from 'node:fs';
import {
  type CryptoKey,
  type GenerateKeyPairResult,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import type { ProviderState } from '../../infra/local/oidc/state.ts';

export type Header = Record<string, unknown> & { alg: string };

/** The provider's private signing key and its id, from the state file. */
export function providerKey(stateFile: string): { jwk: JWK; kid: string } {
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as ProviderState;
  const jwk = state.jwks.keys[0] as JWK;
  return { jwk, kid: String(jwk.kid) };
}

/** Signs `payload` with `key` (a JWK) under `header` exactly as given: no claim is added. */
export async function signWith(key: JWK | CryptoKey, header: Header, payload: JWTPayload): Promise<string> {
  const signingKey = 'kty' in key ? await importJWK(key as JWK, header.alg) : key;
  return new SignJWT(payload).setProtectedHeader(header).sign(signingKey);
}

let another: Promise<GenerateKeyPairResult> | undefined;
/** An RSA key pair no issuer publishes: the attacker's. */
export const anotherKey = () => {
  another ??= generateKeyPair('RS256', { extractable: true });
  return another;
};

export const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The header and claims of a token, decoded without verifying anything. */
export function decode(token: string): { header: Header; payload: JWTPayload } {
  const [header = '', payload = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Header,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as JWTPayload,
  };
}

/** A genuine token's header and claims, signed with the attacker's key instead of the provider's. */
export async function resignedWithAnotherKey(token: string): Promise<string> {
  const { header, payload } = decode(token);
  return signWith((await anotherKey()).privateKey, header, payload);
}
