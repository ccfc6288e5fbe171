/**
 * The domain's refusals, one class per kind. Each carries a `kind` that `shared/http/problem.ts` maps to an
 * HTTP status and a problem type in one table; nothing else in the code decides a status.
 */

/**
 * One failing field: a JSON Pointer (RFC 6901) into the request body, or the name of a query or path
 * parameter, and what is wrong with it.
 */
export type FieldIssue = { pointer: string; detail: string } | { parameter: string; detail: string };

export type ProblemKind =
  | 'validation-failed'
  | 'malformed-json'
  | 'body-not-utf8'
  | 'body-too-large'
  | 'unsupported-media-type'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'precondition-required'
  | 'precondition-failed'
  | 'plan-too-large'
  | 'rule-violation'
  | 'idempotency-key-reused';

export abstract class DomainError extends Error {
  abstract readonly kind: ProblemKind;
  /** Extra members of the problem document (never personal data). */
  readonly extensions: Record<string, unknown> = {};
}

export class ValidationError extends DomainError {
  readonly kind = 'validation-failed';
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(issues.map((i) => `${'pointer' in i ? i.pointer || '/' : i.parameter}: ${i.detail}`).join('; '));
    this.issues = issues;
    this.extensions.errors = issues;
  }
}

export class MalformedJsonError extends DomainError {
  readonly kind = 'malformed-json';
}

/** The body's bytes are not UTF-8 (RFC 8259 8.1), or hold U+FFFD where something replaced bytes that were not. */
export class BodyNotUtf8Error extends DomainError {
  readonly kind = 'body-not-utf8';
}

export class BodyTooLargeError extends DomainError {
  readonly kind = 'body-too-large';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly kind = 'unsupported-media-type';
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
}

/**
 * Not allowed (403). With `rule`, a rule of authority (who may change which part, `shared/policy/authority.ts`)
 * types the problem as `/problems/<rule>`, and `pointer` names the part.
 */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  readonly rule: string | undefined;
  constructor(detail: string, rule?: string, pointer?: string) {
    super(detail);
    this.rule = rule;
    if (rule) this.extensions.rule = rule;
    if (pointer !== undefined) this.extensions.pointer = pointer;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

export class MethodNotAllowedError extends DomainError {
  readonly kind = 'method-not-allowed';
  /** The methods the resource does allow: the 405's `Allow` header (RFC 9110 15.5.6). */
  readonly allowed: string[];
  constructor(detail: string, allowed: string[]) {
    super(detail);
    this.allowed = allowed;
  }
}

export class PreconditionRequiredError extends DomainError {
  readonly kind = 'precondition-required';
}

export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition-failed';
}

/** The plan would outgrow what one DynamoDB item can hold. */
export class PlanTooLargeError extends DomainError {
  readonly kind = 'plan-too-large';
}

/**
 * A rule of the SIP process is broken (409). `rule` names it; the problem's type is `/problems/<rule>`,
 * so a client can act on the rule without parsing text. The rules are listed in `commands/rules.ts`.
 */
export class RuleViolation extends DomainError {
  readonly kind = 'rule-violation';
  readonly rule: string;
  /** `pointer`: the part of the plan (or of the body) the rule is about, when there is one. */
  constructor(rule: string, detail: string, pointer?: string) {
    super(detail);
    this.rule = rule;
    this.extensions.rule = rule;
    if (pointer !== undefined) this.extensions.pointer = pointer;
  }
}

/**
 * A retry with an Idempotency-Key already used for another request (422): the key names one request, and
 * its first answer is kept for 24 hours.
 */
export class IdempotencyKeyReusedError extends DomainError {
  readonly kind = 'idempotency-key-reused';
}
