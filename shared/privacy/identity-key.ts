/**
 * Where the identity key comes from: a Secrets Manager secret in AWS, a key file locally. The one seam;
 * read once, at a function's cold start.
 */
import { readFile } from 'node:fs/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config.ts';
import { type IdentityReference, identityReferences } from './identity-reference.ts';

export async function loadIdentityReferences(
  source: Config['identityKey'],
  secrets: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({}),
): Promise<IdentityReference | undefined> {
  if (!source) return undefined;
  if ('file' in source)
    return identityReferences(Buffer.from((await readFile(source.file, 'utf8')).trim(), 'base64'));
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: source.secretArn }));
  if (!SecretString) throw new Error('the identity key secret is empty');
  // The stack generates the secret as random text; its UTF-8 bytes are the key.
  return identityReferences(Buffer.from(SecretString, 'utf8'));
}
