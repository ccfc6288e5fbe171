/** JSON Pointers (RFC 6901), the one way the service names a field in problems and revisions. */

const escapeToken = (token: PropertyKey) => String(token).replaceAll('~', '~0').replaceAll('/', '~1');

/** `['individual', 'name']` → `/individual/name`; the empty path is the whole document (``). */
export const jsonPointer = (path: readonly PropertyKey[]) =>
  path.map((token) => `/${escapeToken(token)}`).join('');

/** Extends a pointer by one token. */
export const childPointer = (pointer: string, token: PropertyKey) => `${pointer}/${escapeToken(token)}`;

/** One token of a pointer as it was before escaping. */
const unescapeToken = (token: string) => token.replaceAll('~1', '/').replaceAll('~0', '~');

/** `/individual/name` → `['individual', 'name']`: the tokens of a pointer, unescaped. */
export const pointerTokens = (pointer: string) => pointer.split('/').slice(1).map(unescapeToken);
