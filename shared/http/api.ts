/**
 * The request and response an operation sees: plain data, no API Gateway types. The handler adapts
 * between these and the API Gateway HTTP API (v2) event.
 */

import type { AuditTrail } from '../audit/trail.ts';
import {
  BodyTooLargeError,
  MalformedJsonError,
  PreconditionFailedError,
  PreconditionRequiredError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.ts';
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
  /** The raw body, already decoded from base64 when API Gateway encoded it. */
  rawBody: string | undefined;
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
  const body = request.rawBody ?? '';
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
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

/** A plan's entity tag: its version. */
export const etagOf = (version: number) => `"${version}"`;

/**
 * Checks `If-Match` against the current version (strong comparison, RFC 9110 13.1.1): missing → 428,
 * no match → 412. `*` matches any existing plan.
 */
export function requireIfMatch(request: ApiRequest, currentVersion: number): void {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '') {
    throw new PreconditionRequiredError('send If-Match with the ETag of the version you changed');
  }
  const tags = header.split(',').map((tag) => tag.trim());
  if (!tags.some((tag) => tag === '*' || tag === etagOf(currentVersion))) {
    throw new PreconditionFailedError(
      `the plan is at version ${currentVersion} (ETag ${etagOf(currentVersion)}); read it again and reapply your change`,
    );
  }
}
