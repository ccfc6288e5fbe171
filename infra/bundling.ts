/**
 * How every Lambda function is bundled, in esbuild's terms: the CDK house construct passes the same
 * settings to NodejsFunction, and `npm run bench` bundles with exactly these to measure what deploys.
 */
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** ESM needs `require` for the CommonJS parts of some dependencies. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/** JSX as the tsconfig has it: Preact's automatic runtime, so that a `.tsx` page needs no import for it. */
export const JSX_OPTIONS = { jsx: 'automatic', jsxImportSource: 'preact' } as const satisfies BuildOptions;

export const LAMBDA_ESBUILD_OPTIONS = {
  ...JSX_OPTIONS,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
} as const satisfies BuildOptions;

/**
 * Code a function loads only when it is needed, bundled with the same settings into a file of its own beside
 * the function's bundle: the report formats with their spreadsheet and chart libraries (loaded by
 * `shared/reporting/formats.ts` under this name), which would otherwise weigh on every cold start.
 */
export const LAZY_BUNDLES = {
  'report-formats.mjs': fileURLToPath(new URL('../shared/reporting/rich-formats.ts', import.meta.url)),
} as const;

const ESBUILD = fileURLToPath(new URL('../node_modules/.bin/esbuild', import.meta.url));

/** The shell command that bundles one lazily loaded file into `outputDir`, as CDK's bundling runs it. */
export function lazyBundleCommand(file: keyof typeof LAZY_BUNDLES, outputDir: string): string {
  const o = LAMBDA_ESBUILD_OPTIONS;
  return [
    `"${ESBUILD}" "${LAZY_BUNDLES[file]}" --bundle --platform=${o.platform} --format=${o.format}`,
    `--target=${o.target} --minify --main-fields=${o.mainFields.join(',')}`,
    `--jsx=${o.jsx} --jsx-import-source=${o.jsxImportSource}`,
    `"--banner:js=${o.banner.js}" --log-level=error --outfile="${outputDir}/${file}"`,
  ].join(' ');
}
