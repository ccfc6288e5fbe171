/**
 * The docs function: serves the OpenAPI document, the page to try it and the pages of the problem types,
 * without a token. A function of its own, so that the API function carries none of this at cold start and
 * the docs need no table access.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { securityHeaders } from '../../shared/http/middleware.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEMS, problemType } from '../../shared/http/problem.ts';
import { declaredRoute } from '../../shared/http/routes.ts';
import { openApiDocument } from './openapi.ts';
import { DOCS_POLICY, docsPage, docsScript } from './page.tsx';
import { PROBLEM_PAGE_POLICY, problemIndexPage, problemPage } from './problems.tsx';

const PUBLIC = 'public, max-age=300';

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(securityHeaders())
  .handler(serve);

async function serve(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
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
    case 'GET /docs/app.js':
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': PUBLIC },
        body: docsScript(),
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
      return html(docsPage(), DOCS_POLICY);
  }
}

/** A page under its policy; a problem page has no script, so nothing may run in it. */
const html = (body: string, policy = PROBLEM_PAGE_POLICY): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': PUBLIC,
    'content-security-policy': policy,
  },
  body,
});
