/**
 * How every Lambda function is bundled, in esbuild's terms: the CDK house construct passes the same
 * settings to NodejsFunction, and `npm run bench` bundles with exactly these to measure what deploys.
 */
import type { BuildOptions } from 'esbuild';

/** ESM needs `require` for the CommonJS parts of some dependencies. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
} as const satisfies BuildOptions;
