import type * as z from 'zod/mini';
import { type FieldIssue, ValidationError } from './errors.ts';
import { jsonPointer } from './json-pointer.ts';

/** zod issues as field issues, with unrecognized keys reported at their own pointer. */
export function fieldIssues(error: z.core.$ZodError, prefix = ''): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          pointer: `${prefix}${jsonPointer([...issue.path, key])}`,
          detail: 'unknown field',
        }))
      : [{ pointer: `${prefix}${jsonPointer(issue.path)}`, detail: issue.message }],
  );
}

/** Parses `value` with `schema`, or throws a {@link ValidationError} naming every failing field. */
export function parseOrThrow<T extends z.ZodMiniType>(schema: T, value: unknown, prefix = ''): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(fieldIssues(result.error, prefix));
  return result.data;
}
