/**
 * `npm run -s token -- --org <organisationId> [--user <id>] [--unit <id>] [--roles sip.read,sip.write]`
 * prints a token the local runtime accepts, and nothing else, on stdout.
 */
import { parseArgs } from 'node:util';
import { loadOrCreateSigningKey, signToken } from './auth.ts';
import { localSettings } from './settings.ts';

const usage =
  'usage: npm run -s token -- --org <organisationId> [--user <id>] [--unit <id>] [--roles sip.read,sip.write] [--expires-in <seconds>]';

try {
  const { values } = parseArgs({
    options: {
      org: { type: 'string' },
      user: { type: 'string' },
      unit: { type: 'string' },
      roles: { type: 'string' },
      scopes: { type: 'string' },
      'expires-in': { type: 'string' },
    },
    strict: true,
  });
  if (!values.org) throw new Error('--org is required');
  const roles = values.roles ?? values.scopes;
  const keys = await loadOrCreateSigningKey(localSettings().signingKeyFile);
  const token = await signToken(keys, {
    organisationId: values.org,
    userId: values.user,
    unitId: values.unit,
    scopes: roles ? roles.split(/[\s,]+/).filter(Boolean) : undefined,
    ...(values['expires-in'] && { expiresIn: Number(values['expires-in']) }),
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}\n`);
  process.exit(2);
}
