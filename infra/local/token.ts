/**
 * `npm run -s token -- --org <organisationId> [--user <id>] [--unit <id>] [--roles sip.read,sip.write]`
 * prints a token of the running local OpenID Provider (`npm start`), and nothing else, on stdout.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { requestToken } from './auth.ts';
import { loadOrCreateProviderState } from './oidc/state.ts';
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
  const settings = localSettings();
  // The token client's secret is in the data folder that `npm start` uses: reading it is the permission.
  const issuer = `http://127.0.0.1:${settings.oidcPort}`;
  if (!existsSync(settings.providerStateFile))
    throw new Error(`no provider state in ${settings.dataDir}: start the service first (npm start)`);
  const { tokenClientSecret } = await loadOrCreateProviderState(settings.providerStateFile);
  const token = await requestToken(issuer, tokenClientSecret, {
    organisationId: values.org,
    userId: values.user,
    unitId: values.unit,
    scopes: roles ? roles.split(/[\s,]+/).filter(Boolean) : undefined,
    ...(values['expires-in'] && { expiresIn: Number(values['expires-in']) }),
  }).catch((error: Error) => {
    throw (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED'
      ? new Error(`no OpenID Provider at ${issuer}: start the service first (npm start)`)
      : error;
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}\n`);
  process.exit(2);
}
