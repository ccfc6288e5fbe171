/** Opaque pagination cursors. A cursor carries only the last item's id; keys are rebuilt from the caller's query, so a forged cursor cannot reach another organisation's items. */
import { ValidationError } from '../domain/errors.ts';

export const encodeCursor = (value: string | number) => Buffer.from(`v1:${value}`).toString('base64url');

export function decodeCursor(
  cursor: string | undefined,
  isValid: (value: string) => boolean,
): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const value = decoded.startsWith('v1:') ? decoded.slice(3) : '';
  if (!isValid(value))
    throw new ValidationError([{ parameter: 'cursor', detail: 'not a cursor this API gave out' }]);
  return value;
}
