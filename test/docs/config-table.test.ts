/** The README's configuration tables name exactly what the code reads from the environment. */
import { describe, expect, it } from 'vitest';
import { readRepoFile, section, sorted, tables, variablesOf, variablesReadBy } from './readme.ts';

const configuration = section(readRepoFile('README.md'), 'Configuration');
const [functionTable, localTable, ...others] = tables(configuration);

describe('the README configuration', () => {
  it('has two tables: what every function reads, then what only the local runtime reads', () => {
    expect(functionTable?.length).toBeGreaterThan(0);
    expect(localTable?.length).toBeGreaterThan(0);
    expect(others).toEqual([]);
    expect(configuration.indexOf('`shared/config.ts`')).toBeLessThan(
      configuration.indexOf('`infra/local/settings.ts`'),
    );
  });

  it('lists in its first table exactly the variables shared/config.ts reads', () => {
    const read = sorted(variablesReadBy('shared/config.ts'));
    // The oracle is the source text; a few names any reader of config.ts would expect, so a broken regex fails too.
    expect(read).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'AUDIT_TABLE_NAME', 'IDENTITY_KEY_SECRET_ARN']),
    );
    expect(sorted(variablesOf(functionTable ?? []))).toEqual(read);
  });

  it('lists in its second table exactly the variables the local runtime settings read', () => {
    const read = sorted(variablesReadBy('infra/local/settings.ts'));
    expect(read).toEqual(expect.arrayContaining(['PORT', 'DATA_DIR', 'OIDC_PORT']));
    expect(sorted(variablesOf(localTable ?? []))).toEqual(read);
  });

  it('names each variable once per table', () => {
    for (const table of [functionTable ?? [], localTable ?? []]) {
      const names = variablesOf(table);
      expect(names).toEqual([...new Set(names)]);
    }
  });
});
