import type * as z from 'zod/mini';
import { ValidationError } from '../domain/errors.ts';
import { fieldIssues } from '../domain/validation.ts';

/** Parses query string parameters; problems name the parameter, not a body pointer. */
export function parseQuery<T extends z.ZodMiniType>(
  schema: T,
  query: Record<string, string | undefined>,
): z.output<T> {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  throw new ValidationError(
    fieldIssues(result.error).map((issue) => ({
      parameter:
        ('pointer' in issue ? issue.pointer : issue.parameter).replace(/^\//, '').split('/')[0] ?? '',
      detail: issue.detail,
    })),
  );
}
