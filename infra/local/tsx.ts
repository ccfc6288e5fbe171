/**
 * Lets Node run the project's `.tsx` files from source, as it runs the `.ts` ones: Node strips types but does
 * not compile JSX, so a `.tsx` module is compiled by esbuild, with the same JSX settings as the tsconfig and
 * the Lambda bundles. Loaded first by every npm script that runs source (`node --import ./infra/local/tsx.ts`);
 * the deployed functions are bundles and need none of it.
 */
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { JSX_OPTIONS } from '../bundling.ts';

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.tsx')) return nextLoad(url, context);
    const { source } = nextLoad(url, { ...context, format: 'module' });
    const { code } = transformSync(String(source), {
      ...JSX_OPTIONS,
      loader: 'tsx',
      format: 'esm',
      sourcefile: fileURLToPath(url),
      sourcemap: 'inline',
    });
    return { format: 'module', source: code, shortCircuit: true };
  },
});
