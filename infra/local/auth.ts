/**
 * Local stand-in for the HTTP API's JWT authorizer: an ES256 key pair kept in the data folder, tokens
 * signed with it, and verification with the same issuer and audience checks API Gateway makes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { CLAIMS } from '../../shared/http/caller.ts';

export const LOCAL_ISSUER = 'https://sip.local/issuer';
export const LOCAL_AUDIENCE = 'sip-api';

interface KeyFile {
  privateKey: JWK;
  publicKey: JWK;
}

/** Loads the local signing key from `file`, creating it on first use. */
export async function loadOrCreateSigningKey(file: string): Promise<KeyFile> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const keys = { privateKey: await exportJWK(privateKey), publicKey: await exportJWK(publicKey) };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

export interface TokenRequest {
  organisationId: string;
  userId?: string | undefined;
  unitId?: string | undefined;
  scopes?: string[] | undefined;
  /** Lifetime in seconds (default 8 hours: a working day). */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
}

export async function signToken(keys: KeyFile, request: TokenRequest): Promise<string> {
  const key = await importJWK(keys.privateKey, 'ES256');
  return new SignJWT({
    [CLAIMS.organisation]: request.organisationId,
    ...(request.unitId && { [CLAIMS.unit]: request.unitId }),
    [CLAIMS.scope]: (request.scopes ?? ['sip.read', 'sip.write']).join(' '),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(request.userId ?? 'local-user')
    .setIssuer(request.issuer ?? LOCAL_ISSUER)
    .setAudience(request.audience ?? LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (request.expiresIn ?? 8 * 3600))
    .sign(key);
}

/** Verifies a bearer token as API Gateway's JWT authorizer would; throws with a reason when it fails. */
export async function verifyToken(keys: KeyFile, token: string): Promise<JWTPayload> {
  const key = await importJWK(keys.publicKey, 'ES256');
  const { payload } = await jwtVerify(token, key, {
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    algorithms: ['ES256'],
  });
  return payload;
}
