/** The local identity key: 32 random bytes, base64, in a file of the data folder (AWS keeps it in Secrets Manager). */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates the key file on first use; returns its path. */
export function loadOrCreateIdentityKey(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return file;
}
