/**
 * Where a sign-in may send the user on to: the page a link pointed at, kept server-side with the sign-in's
 * `state` — and only ever a path of the workspace. Anything a browser could read as another site (an absolute
 * or scheme-relative address, a backslash, a control character, any of them percent-encoded) gives Att göra.
 */
export function returnTarget(raw: string | undefined): string {
  const fallback = '/app/';
  if (!raw?.startsWith('/app/') || raw.includes('\\')) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return fallback;
  }
  if (/\/\/|\\|\p{Cc}/u.test(decoded)) return fallback;
  const url = new URL(raw, 'http://workspace.invalid');
  if (url.origin !== 'http://workspace.invalid' || !url.pathname.startsWith('/app/')) return fallback;
  return `${url.pathname}${url.search}`;
}
