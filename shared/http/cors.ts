/**
 * How browser-based API clients on other origins may call the API (CORS), declared once: the stack hands it
 * to the HTTP API's `corsPreflight`, and the local runtime answers the same way. Which origins may is
 * configuration (`CORS_ALLOWED_ORIGINS`, read in `shared/config.ts`); none by default.
 */
export const CORS = {
  allowMethods: ['GET', 'HEAD', 'POST', 'PATCH'],
  allowHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key'],
  /** What a script may read beyond the CORS-safelisted headers: the version to send back, the new plan. */
  exposeHeaders: ['etag', 'location', 'content-disposition'],
  maxAgeSeconds: 600,
} as const;

/** The answer to a preflight from an allowed origin. */
export const preflightHeaders = (origin: string): Record<string, string> => ({
  'access-control-allow-origin': origin,
  'access-control-allow-methods': CORS.allowMethods.join(','),
  'access-control-allow-headers': CORS.allowHeaders.join(','),
  'access-control-max-age': String(CORS.maxAgeSeconds),
  vary: 'origin',
});

/** What an answer to an allowed origin carries besides its own headers. */
export const corsHeaders = (origin: string): Record<string, string> => ({
  'access-control-allow-origin': origin,
  'access-control-expose-headers': CORS.exposeHeaders.join(','),
  vary: 'origin',
});
