/**
 * The request and response an operation sees: plain data, no API Gateway types. The handler adapts
 * between these and the API Gateway HTTP API (v2) event.
 */

import { createHash } from 'node:crypto';
import type { AuditTrail } from '../audit/trail.ts';
import {
  BodyNotUtf8Error,
  BodyTooLargeError,
  MalformedJsonError,
  PreconditionFailedError,
  PreconditionRequiredError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.ts';
import type { InformationCategory } from '../domain/information.ts';
import type { Caller } from '../policy/policy.ts';

export interface ApiRequest {
  caller: Caller;
  /** The route's operation (`createPlan`, `sendInvitation` …), and the path as requested. */
  operationId: string;
  path: string;
  pathParameters: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** Header names in lower case, as API Gateway delivers them. */
  headers: Record<string, string | undefined>;
  /**
   * The body's bytes as the client sent them (API Gateway's base64 undone), not yet read as text: only
   * {@link readJsonBody} decodes them, and refuses what is not UTF-8.
   */
  body: Uint8Array | undefined;
  /** When API Gateway received the request: the one instant every rule of the request is decided at. */
  now: Date;
  /** The request's audit log entry, as it takes shape. */
  audit: AuditTrail;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless a content-type other than JSON is set and the body is a string. */
  body?: unknown;
}

/** 128 KiB: far above any realistic plan edit, far below what one DynamoDB item holds. */
export const MAX_BODY_BYTES = 128 * 1024;

const JSON_TYPES = ['application/json'];

/** Far deeper than any plan (about eight levels); deep enough nesting would exhaust the stack of a recursive walk. */
export const MAX_BODY_DEPTH = 32;

/**
 * Parses a JSON body of an accepted media type, in UTF-8 and not content-encoded, within the size and depth
 * limits, with each member named once in its object (RFC 8259 8.1 and 4; I-JSON, RFC 7493).
 */
export function readJsonBody(request: ApiRequest, mediaTypes: string[] = JSON_TYPES): unknown {
  const bytes = request.body ?? new Uint8Array();
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new BodyTooLargeError(`the body may be at most ${MAX_BODY_BYTES} bytes`);
  }
  const [type = '', ...parameters] = (request.headers['content-type'] ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  if (!mediaType || !mediaTypes.includes(mediaType)) {
    throw new UnsupportedMediaTypeError(`send the body as ${mediaTypes.join(' or ')}`);
  }
  // The body is read as UTF-8 (RFC 8259 8.1): another charset would be read wrong, not refused, further on.
  const charset = parameters
    .map((parameter) => parameter.split('='))
    .find(([name]) => name?.trim().toLowerCase() === 'charset')?.[1]
    ?.trim()
    .replace(/^"(.*)"$/, '$1');
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    throw new UnsupportedMediaTypeError(`send the body in UTF-8 (charset=utf-8), not ${charset}`);
  }
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new UnsupportedMediaTypeError(
      `the service does not decode Content-Encoding ${encoding}: send the body unencoded`,
    );
  }
  const body = utf8Text(bytes);
  if (body.trim() === '') throw new MalformedJsonError('the body is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    // JSON.parse's message quotes the body around the error, and bodies carry personal data: keep the position only.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw new MalformedJsonError(
      `the body is not valid JSON${position ? ` (at character ${position})` : ''}`,
    );
  }
  if (depthOf(parsed) > MAX_BODY_DEPTH) {
    throw new ValidationError([
      { pointer: '', detail: `the body nests deeper than ${MAX_BODY_DEPTH} levels` },
    ]);
  }
  const duplicate = duplicateMember(body);
  if (duplicate !== undefined) {
    throw new ValidationError([{ pointer: duplicate, detail: 'named more than once in its object' }]);
  }
  return parsed;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The body as text, decoded once and fatally: bytes that are not UTF-8 are refused, never replaced — a name
 * or a goal in a legal document must not be silently changed. A U+FFFD is refused too: it is what a system
 * on the way (API Gateway, a proxy, the client's own stack) writes in place of such bytes, so the text is
 * no longer what was written (docs/http.md).
 */
function utf8Text(bytes: Uint8Array): string {
  let text: string | undefined;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined && !text.includes('\uFFFD')) return text;
  // Only to say where: the bytes before the first replaced sequence decode the same either way.
  const lenient = lenientUtf8.decode(bytes);
  const at = Buffer.byteLength(lenient.slice(0, lenient.indexOf('\uFFFD')));
  const literal = bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd;
  throw new BodyNotUtf8Error(
    literal
      ? `the body holds U+FFFD, the replacement character, at byte ${at}: bytes that were not UTF-8 were replaced on the way; send the text as it was written, in UTF-8`
      : `the body is not UTF-8: the bytes from byte ${at} are no UTF-8 character; send the text as it was written, in UTF-8`,
  );
}

/**
 * The JSON Pointer of the first member named twice in one object, if any. `JSON.parse` keeps the last of
 * them silently, so a body could say one thing to a reader and another to the service. Scans text that
 * already parsed, so it needs to tell only strings and the structure apart.
 */
function duplicateMember(json: string): string | undefined {
  // Per open object or array: the names seen (objects), and the member or index now being read.
  const open: { names?: Set<string>; at: string | number }[] = [];
  let expectName = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const current = open.at(-1);
      if (expectName && current?.names) {
        const name = JSON.parse(json.slice(i, end + 1)) as string;
        current.at = name;
        if (current.names.has(name))
          return open.map((level) => `/${escapePointer(String(level.at))}`).join('');
        current.names.add(name);
        expectName = false;
      }
      i = end;
    } else if (c === '{') {
      open.push({ names: new Set(), at: '' });
      expectName = true;
    } else if (c === '[') {
      open.push({ at: 0 });
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === ',') {
      const current = open.at(-1);
      if (current?.names) expectName = true;
      else if (current) current.at = Number(current.at) + 1;
    }
  }
  return undefined;
}

const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** How deeply a JSON value nests, measured without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_BODY_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * A plan answer's entity tag, `"<version>.<view>"`: the plan's version, and a digest of what the reader's view
 * of it is cut by — the categories its consent releases and the organisation it reads for. A view that
 * narrows without a write (a wider consent lapses) has another tag, so `If-None-Match` with the old one is
 * answered with the narrower view, never 304 (docs/http.md).
 */
export function planEtag(
  version: number,
  view: { released: Iterable<InformationCategory>; organisationId: string },
): string {
  const cut = `${view.organisationId}\n${[...view.released].sort().join(',')}`;
  return `"${version}.${createHash('sha256').update(cut).digest('base64url').slice(0, 12)}"`;
}

/** The version an entity tag names: the part before the dot (`"3.Ab…"` and a bare `"3"` alike). */
const VERSION_TAG = /^"(\d{1,10})(?:\.[\w-]*)?"$/;

/**
 * Checks `If-Match` against the current version (strong comparison, RFC 9110 13.1.1, of the version the tag
 * names): missing → 428, `*` → 428 too (it would match whatever version the plan is at: a change made blind,
 * the lost update `If-Match` exists to stop), no match → 412.
 */
export function requireIfMatch(request: ApiRequest, currentVersion: number): void {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '') {
    throw new PreconditionRequiredError('send If-Match with the ETag of the version you changed');
  }
  const tags = header.split(',').map((tag) => tag.trim());
  if (tags.includes('*')) {
    throw new PreconditionRequiredError(
      'If-Match: * matches whatever the plan now says, so the change would be made blind: send If-Match with the ETag you read (GET the plan first)',
    );
  }
  if (!tags.some((tag) => Number(VERSION_TAG.exec(tag)?.[1]) === currentVersion)) {
    throw new PreconditionFailedError(
      `the plan is at version ${currentVersion}; read it again and reapply your change with the ETag you read`,
    );
  }
}
