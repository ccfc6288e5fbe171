/**
 * Errors as RFC 9457 problem documents. The one table from domain error to HTTP status; an error that is
 * not a DomainError is unexpected and becomes a generic 500 whose details stay in the log.
 */
import { RULES, type Rule } from '../domain/commands/rules.ts';
import { DomainError, ForbiddenError, type ProblemKind, RuleViolation } from '../domain/errors.ts';
import { AUTHORITY_RULES, type AuthorityRule } from '../policy/authority.ts';
import type { ApiResponse } from './api.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const PROBLEMS: Record<ProblemKind | 'internal-error', { status: number; title: string }> = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'malformed-json': { status: 400, title: 'The body is not valid JSON' },
  'body-not-utf8': { status: 400, title: 'The body is not UTF-8' },
  'body-too-large': { status: 400, title: 'The body is too large' },
  'plan-too-large': { status: 400, title: 'The plan would be too large' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'precondition-failed': { status: 412, title: 'The plan has changed' },
  'precondition-required': { status: 428, title: 'If-Match required' },
  'rule-violation': { status: 409, title: 'A rule of the SIP process is not met' },
  'idempotency-key-reused': {
    status: 422,
    title: 'The Idempotency-Key was used for another request',
  },
  'internal-error': { status: 500, title: 'Internal error' },
};

/** Problem type URIs resolve against the API's own origin; `/docs` describes each. */
export const problemType = (kind: string) => `/problems/${kind}`;

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export function problemOf(error: unknown, instance?: string): ProblemDocument {
  if (error instanceof DomainError) {
    const { status, title } = PROBLEMS[error.kind];
    // A rule violation is typed and titled by its rule, so clients can branch on the rule itself.
    const rule = error instanceof RuleViolation ? (error.rule as Rule) : undefined;
    // So is a refusal on a rule of authority: who may change which part.
    const authority = error instanceof ForbiddenError ? (error.rule as AuthorityRule | undefined) : undefined;
    return {
      type: problemType(rule ?? authority ?? error.kind),
      title: rule ? RULES[rule] : authority ? AUTHORITY_RULES[authority] : title,
      status,
      detail: error.message,
      ...(instance && { instance }),
      ...error.extensions,
    };
  }
  const { status, title } = PROBLEMS['internal-error'];
  return {
    type: problemType('internal-error'),
    title,
    status,
    detail: 'Something went wrong on our side. It has been logged; please try again later.',
    ...(instance && { instance }),
  };
}

export function problemResponse(problem: ProblemDocument, headers: Record<string, string> = {}): ApiResponse {
  return {
    status: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
    body: problem,
  };
}
