/**
 * The individual's identity reference: a keyed hash (HMAC-SHA-256) of the personal identity. It stands in
 * for the number wherever one must be found or named without being shown — the lookup index's keys and the
 * audit log. Without the key (Secrets Manager in AWS, a key file locally) a reference cannot be reversed,
 * not even by trying every possible personnummer.
 */
import { createHmac } from 'node:crypto';
import {
  canonicalPersonalIdentity,
  type PersonalIdentity,
  type PersonalIdentityType,
  personalIdentityProblem,
} from '../domain/personal-identity.ts';

export type IdentityReference = (identity: PersonalIdentity) => string;

/** Builds the reference function from the key's bytes. */
export function identityReferences(key: Uint8Array): IdentityReference {
  if (key.byteLength < 32) throw new Error('the identity key must be at least 32 bytes');
  return (identity) =>
    createHmac('sha256', key)
      .update(
        identity.type === 'reservnummer'
          ? `reservnummer:${identity.issuer}:${identity.value}`
          : // Personnummer and samordningsnummer share one space: the day tells them apart.
            `number:${identity.value}`,
      )
      .digest('base64url');
}

/**
 * A personnummer or samordningsnummer as a caller types it (10 or 12 digits, with or without separator),
 * in the canonical form plans store; a problem when it is not a valid number on `today`.
 */
export function identityFromQuery(
  input: string,
  today: string,
): { identity: PersonalIdentity } | { problem: string } {
  const value = input.trim();
  const day = Number(/^(?:\d{2})?\d{4}(\d{2})\d{4}$/.exec(value.replace(/[-+]/, ''))?.[1] ?? 0);
  const type: PersonalIdentityType = day > 60 ? 'samordningsnummer' : 'personnummer';
  const problem = personalIdentityProblem(type, value);
  if (problem) return { problem };
  const canonical = canonicalPersonalIdentity(value, today);
  if (!canonical) return { problem: 'not a valid date of birth' };
  return { identity: { type, value: canonical } };
}
