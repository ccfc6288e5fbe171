/**
 * Matching a method and path against the declared routes, as API Gateway does. The local runtime uses it
 * to build events; the handler uses it to tell 404 from 405 for requests that reach the `$default` route.
 */
import { ROUTE_KEYS, type RouteKey } from './routes.ts';

export interface RouteMatch {
  /** The declared route: for a HEAD request, the GET route it runs. */
  routeKey: RouteKey;
  pathParameters: Record<string, string>;
}

const compiled = ROUTE_KEYS.map((routeKey) => {
  const [method, template = ''] = routeKey.split(' ');
  const names: string[] = [];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { routeKey, method, regex: new RegExp(`^${pattern}$`), names };
});

export function matchRoute(
  method: string,
  path: string,
): RouteMatch | { allowedMethods: string[] } | undefined {
  const matches = compiled
    .map((route) => ({ route, result: route.regex.exec(path) }))
    .filter((m): m is { route: (typeof compiled)[number]; result: RegExpExecArray } => m.result !== null);
  // HEAD is answered wherever GET is (RFC 9110 9.3.2).
  const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const exact = matches.find((m) => m.route.method === wanted);
  if (exact) {
    const pathParameters: Record<string, string> = {};
    exact.route.names.forEach((name, i) => {
      pathParameters[name] = safeDecode(exact.result[i + 1] ?? '');
    });
    return { routeKey: exact.route.routeKey, pathParameters };
  }
  if (matches.length > 0) {
    const methods = matches.map((m) => m.route.method ?? '');
    return { allowedMethods: methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])) };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
