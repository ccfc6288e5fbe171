/**
 * The security headers of every answer, set in one place: each function's handler passes its answers through
 * {@link withSecurityHeaders} (the middleware `securityHeaders()`), and so does the local gateway for the
 * answers it writes itself. Pages declare what they run and load with {@link pagePolicy}; everything else is
 * data, under a policy that lets nothing load or run and nothing frame it.
 */
import { createHash } from 'node:crypto';

/** What every answer carries, whatever it is. */
const ALWAYS: Readonly<Record<string, string>> = {
  // A JSON body must never be sniffed into a script or a page.
  'x-content-type-options': 'nosniff',
  // Plan ids are in paths: no link followed from a page or a document may carry one to another site.
  'referrer-policy': 'no-referrer',
  // A year, on this host only: the region's other hosts are not the service's to decide. Browsers ignore it
  // over plain HTTP, so localhost is unaffected.
  'strict-transport-security': 'max-age=31536000',
};

/** The policy of an answer that is not a page (JSON, a spreadsheet, a script file): nothing loads from it. */
export const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** The CSP hash-source of an inline `<style>` element's content (CSP Level 3 § 2.3.1): its SHA-256. */
export const hashSource = (content: string) =>
  `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;

export interface PageNeeds {
  /** The content of each inline `<style>` element of the page, exactly as served: allowed by its hash. */
  styles?: readonly string[];
  /** The page runs scripts: only the service's own script files, never inline. */
  scripts?: boolean;
  /** The page's scripts call the service (`fetch`). */
  connect?: boolean;
  /** The page links the service's own stylesheet (a file, not inline). */
  stylesheets?: boolean;
  /** Images: the service's own and `data:` URIs (the design system's icons are data URIs in its CSS). */
  images?: boolean;
  /** Where the page's forms may post — the service itself, and any origin a post redirects on to. */
  formTargets?: readonly string[];
}

/**
 * A page's Content-Security-Policy: nothing but what it declares. No `'unsafe-inline'` anywhere — an injected
 * `<script>` or `<style>` has no hash and does not run — no `<base>` to re-point relative links, no form
 * posting elsewhere, no framing (clickjacking).
 */
export function pagePolicy(needs: PageNeeds = {}): string {
  const styles = needs.styles ?? [];
  return [
    "default-src 'none'",
    (styles.length > 0 || needs.stylesheets) &&
      `style-src ${[...(needs.stylesheets ? ["'self'"] : []), ...new Set(styles.map(hashSource))].join(' ')}`,
    needs.images && "img-src 'self' data:",
    needs.scripts && "script-src 'self'",
    needs.connect && "connect-src 'self'",
    "base-uri 'none'",
    needs.formTargets ? `form-action 'self' ${needs.formTargets.join(' ')}`.trim() : "form-action 'none'",
    "frame-ancestors 'none'",
  ]
    .filter(Boolean)
    .join('; ');
}

type Headers = Record<string, string | number | boolean>;

/**
 * `result` with the headers every answer carries. A page keeps the policy it declared, any other answer gets
 * {@link DATA_POLICY}; an answer that says nothing of caching is `no-store` (plans, people and who did what
 * are never kept by a cache).
 */
export function withSecurityHeaders<R extends { headers?: Headers | undefined }>(result: R): R {
  const headers: Headers = { ...result.headers };
  const has = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);
  Object.assign(headers, ALWAYS);
  if (!has('content-security-policy')) headers['content-security-policy'] = DATA_POLICY;
  if (!has('cache-control')) headers['cache-control'] = 'no-store';
  return { ...result, headers };
}
