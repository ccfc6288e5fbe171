/**
 * The local stand-in for API Gateway's HTTP API: turns each HTTP request into a payload-v2 event, verifies
 * the bearer token as the JWT authorizer would, and invokes the very same handler that runs in Lambda.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { type Authorize, gatewayClaims } from '../../shared/auth/access-token.ts';
import { corsHeaders, preflightHeaders } from '../../shared/http/cors.ts';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../shared/http/problem.ts';
import { matchRoute } from '../../shared/http/route-match.ts';
import { type FunctionName, isPublic, isWorkspacePath, servedBy } from '../../shared/http/routes.ts';
import { withSecurityHeaders } from '../../shared/http/security.ts';
import { redactText } from '../../shared/privacy/redaction.ts';

/** A function's handler, as the local gateway invokes it. */
export type LocalHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway refuses bodies over 10 MB before any function runs. */
const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;
/** API Gateway's quota for the request line and header values together (HTTP APIs: 10,240 bytes). */
const GATEWAY_HEADER_LIMIT = 10_240;
/** How long an idle keep-alive connection stays open (API Gateway keeps them longer than clients do). */
export const IDLE_CONNECTION_MS = 65_000;
/** Node's own limit, set above the gateway's so that the gateway's check answers first. */
const NODE_HEADER_LIMIT = 64 * 1024;
const HEADERS_TOO_LARGE = JSON.stringify({
  type: problemType('headers-too-large'),
  title: 'The header section is too large',
  status: 431,
  detail: `API Gateway accepts at most ${GATEWAY_HEADER_LIMIT} bytes of request line and header values`,
});

export interface LocalServerOptions {
  /** The Lambda handlers by function, as the stack wires them to routes. */
  handlers: Record<FunctionName, LocalHandler>;
  /** Verifies a bearer token as the JWT authorizer would (see shared/auth/access-token.ts). */
  authorize: Authorize;
  /** Called once per request with a one-line summary (no headers, no body). */
  log?: (line: string) => void;
  /** When each request is received (as API Gateway stamps it); tests set the instant the policy decides at. */
  clock?: () => Date;
  /** The origins browser-based clients may call from (CORS), as the stack configures the HTTP API. */
  allowedOrigins?: string[];
}

export function createLocalServer({
  handlers,
  authorize,
  log,
  clock = () => new Date(),
  allowedOrigins = [],
}: LocalServerOptions): Server {
  const server = createServer({ maxHeaderSize: NODE_HEADER_LIMIT }, (req, res) => {
    const started = performance.now();
    const origin = req.headers.origin;
    const cors = allowedOrigins.length > 0;
    // Once CORS is configured, API Gateway answers every preflight itself, before any authorizer.
    if (cors && req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      const allowed = origin !== undefined && allowedOrigins.includes(origin);
      send(res, { statusCode: 204, headers: allowed ? preflightHeaders(origin) : {} });
      return;
    }
    if (origin !== undefined && allowedOrigins.includes(origin)) {
      for (const [name, value] of Object.entries(corsHeaders(origin))) res.setHeader(name, value);
    }
    serve(req, res, handlers, authorize, clock)
      .catch((error: unknown) => {
        console.error(redactText(`local runtime error: ${inspect(error)}`));
        if (!res.headersSent)
          send(res, {
            statusCode: 500,
            headers: { 'content-type': PROBLEM_CONTENT_TYPE },
            body: '{"type":"/problems/internal-error","title":"Internal error","status":500,"detail":"local runtime error"}',
          });
      })
      .finally(() =>
        log?.(
          `${req.method} ${req.url?.split('?')[0]} → ${res.statusCode} (${(performance.now() - started).toFixed(1)} ms)`,
        ),
      );
  });
  // Idle connections outlive the client's (undici closes its own after 4 s): otherwise a client may send on a
  // connection the server is closing, and get a reset instead of an answer (seen under load in the fuzz test).
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  // Beyond even Node's limit the request never reaches `serve`: answer with a problem, not a bare 431. Other
  // client errors are answered as Node would (a bare 400), and never into a response already under way.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const responding = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (socket.writable && !responding) {
      const overflow = error.code === 'HPE_HEADER_OVERFLOW';
      const { headers = {} } = withSecurityHeaders({
        headers: overflow
          ? { 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(HEADERS_TOO_LARGE) }
          : {},
      });
      const lines = Object.entries({ ...headers, connection: 'close' }).map(([n, v]) => `${n}: ${v}\r\n`);
      socket.write(
        `HTTP/1.1 ${overflow ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n${lines.join('')}\r\n${overflow ? HEADERS_TOO_LARGE : ''}`,
      );
    }
    socket.destroy(error);
  });
  return server;
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: LocalServerOptions['handlers'],
  authorize: Authorize,
  clock: () => Date,
): Promise<void> {
  if (headerSectionSize(req) > GATEWAY_HEADER_LIMIT) {
    req.resume();
    return send(res, {
      statusCode: 431,
      headers: { 'content-type': PROBLEM_CONTENT_TYPE },
      body: HEADERS_TOO_LARGE,
    });
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);
  if (body === undefined)
    return send(
      res,
      gatewayProblem(413, 'body-too-large', 'The body is too large', 'API Gateway accepts at most 10 MB'),
    );

  const workspace = isWorkspacePath(url.pathname);
  const match = workspace ? undefined : matchRoute(method, url.pathname);
  const routed = match && 'routeKey' in match ? match : undefined;
  let claims: Record<string, string | number | boolean | string[]> = {};
  // Like the stack: every route needs a token but the public ones and the workspace's (which signs its users
  // in itself) — `$default` (no route matched) too.
  if (!workspace && (!routed || !isPublic(routed.routeKey))) {
    const authorization = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!token) return send(res, unauthorized('send a bearer token: Authorization: Bearer <token>'));
    try {
      claims = gatewayClaims(await authorize(token));
    } catch (error) {
      return send(res, unauthorized(`the token was refused: ${(error as Error).message}`, 'invalid_token'));
    }
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = clock();
  const requestId = randomUUID();
  // The gateway's route key: HEAD has routes of its own, each running its GET's function.
  const routeKey = workspace
    ? `ANY /app/{proxy+}`
    : !routed
      ? '$default'
      : method === 'HEAD'
        ? routed.routeKey.replace(/^GET /, 'HEAD ')
        : routed.routeKey;
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    // Payload v2 hands cookies over apart from the headers.
    ...(headers.cookie && { cookies: headers.cookie.split(';').map((cookie) => cookie.trim()) }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(routed && Object.keys(routed.pathParameters).length > 0 && { pathParameters: routed.pathParameters }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
    // The bytes as they came, base64-encoded as API Gateway may hand them over: decoding them is the
    // handler's, which refuses what is not UTF-8 instead of reading it leniently here.
    ...(body.length > 0 && { body: body.toString('base64') }),
    isBase64Encoded: body.length > 0,
  };
  // Unmatched requests go to the `$default` route, which the API function serves.
  const handler = handlers[workspace ? 'web' : routed ? servedBy(routed.routeKey) : 'api'];
  const result = await handler(event, lambdaContext(requestId));
  send(res, result);
}

/** The request line and header values, in bytes, as API Gateway counts them against its quota. */
function headerSectionSize(req: IncomingMessage): number {
  let size = Buffer.byteLength(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
  for (let i = 1; i < req.rawHeaders.length; i += 2) size += Buffer.byteLength(req.rawHeaders[i] ?? '');
  return size;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > GATEWAY_BODY_LIMIT ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The JWT authorizer's 401 (RFC 6750 3.1): `Bearer` alone when no token came, with `error="invalid_token"`
 * when the one sent was refused.
 */
function unauthorized(detail: string, error?: 'invalid_token'): APIGatewayProxyStructuredResultV2 {
  const result = gatewayProblem(401, 'unauthenticated', 'Authentication required', detail);
  const challenge = error ? `Bearer error="${error}"` : 'Bearer';
  return { ...result, headers: { ...result.headers, 'www-authenticate': challenge } };
}

function gatewayProblem(
  status: number,
  kind: string,
  title: string,
  detail: string,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify({ type: problemType(kind), title, status, detail }),
  };
}

/**
 * Writes an answer. The functions' answers carry the security headers already; the gateway's own get them
 * here from the same place — in AWS the HTTP API cannot add them to the answers it writes itself (docs/http.md).
 */
function send(res: ServerResponse, answer: APIGatewayProxyStructuredResultV2): void {
  const result = withSecurityHeaders(answer);
  res.statusCode = result.statusCode ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  if (result.cookies?.length) res.setHeader('set-cookie', result.cookies);
  const body =
    result.body === undefined
      ? undefined
      : result.isBase64Encoded
        ? Buffer.from(result.body, 'base64')
        : result.body;
  res.end(body);
}

function lambdaContext(requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'sip-api-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-north-1:000000000000:function:sip-api-local',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: '/local/sip-api',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
