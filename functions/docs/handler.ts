/**
 * The docs function: serves the OpenAPI document, the page to try it and the pages of the problem types,
 * without a token. A function of its own, so that the API function carries none of this at cold start and
 * the docs need no table access.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { PROBLEM_CONTENT_TYPE, PROBLEMS, problemType } from '../../shared/http/problem.ts';
import { declaredRoute } from '../../shared/http/routes.ts';
import { openApiDocument } from './openapi.ts';
import { docsPage } from './page.ts';
import { problemIndexPage, problemPage } from './problems.ts';

const PUBLIC = 'public, max-age=300';

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const result = answer(event);
  // HEAD runs as GET, without the content (RFC 9110 9.3.2).
  if (event.requestContext.http.method === 'HEAD') {
    const { body: _, ...withoutContent } = result;
    return withoutContent;
  }
  return result;
}

function answer(event: APIGatewayProxyEventV2): APIGatewayProxyStructuredResultV2 {
  switch (declaredRoute(event.routeKey)) {
    case 'GET /openapi.json':
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'cache-control': PUBLIC },
        body: JSON.stringify(openApiDocument()),
      };
    case 'GET /problems':
      return html(problemIndexPage());
    case 'GET /problems/{problemType}': {
      const type = event.pathParameters?.problemType ?? '';
      const page = problemPage(type);
      if (page) return html(page);
      const { status, title } = PROBLEMS['not-found'];
      return {
        statusCode: status,
        headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': PUBLIC },
        body: JSON.stringify({
          type: problemType('not-found'),
          title,
          status,
          detail: 'no such problem type; /problems lists them all',
          instance: event.rawPath,
        }),
      };
    }
    default:
      return {
        ...html(docsPage()),
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': PUBLIC,
          'content-security-policy':
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
        },
      };
  }
}

/** A page with no script: nothing may run in it. */
const html = (body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': PUBLIC,
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  },
  body,
});
