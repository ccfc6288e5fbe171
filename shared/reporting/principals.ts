/**
 * huvudmän in the reports: which principals a plan counts under, and how an export names them.
 *
 * A plan's organisations are units (a vårdcentral, a home-care group) under a principal (the region, a
 * municipality). The model names each unit by its HSA-id, whose first part is the principal's own
 * organisation number (`SE2321000131-E000000000001` → `SE2321000131`), so the principal is read from the
 * id. Exports never carry that number: an organisation number has a personnummer's shape (and a sole
 * trader's is one), so an export names a principal by its official code — the region's two-digit
 * regionkod, a municipality's four-digit kommunkod — from the report register the deployment configures.
 */
import * as z from 'zod/mini';
import { participatingOrganisationIds } from '../domain/participants.ts';
import type { Plan } from '../domain/plan.ts';
import { OrganisationId } from '../domain/schema.ts';

const HSA_ROOT = /^(SE\d{10})-/;

/** The principal of an organisation: the organisation-number root of its HSA-id, or the id itself. */
export function principalIdOf(organisationId: string): string {
  return HSA_ROOT.exec(organisationId)?.[1] ?? organisationId;
}

/**
 * Every principal taking part in a plan: those of the organisations that take part, except units the plan
 * lists under another principal (`other`: Försäkringskassan, an employer …), which are not huvudmän.
 */
export function principalsOf(plan: Plan): Set<string> {
  const others = new Set(
    (plan.organisations ?? []).filter((o) => o.principal === 'other').map((o) => o.organisationId),
  );
  const principals = new Set<string>();
  for (const id of participatingOrganisationIds(plan)) if (!others.has(id)) principals.add(principalIdOf(id));
  return principals;
}

/** A regionkod (two digits) or a kommunkod (four digits), as SCB assigns them. */
export const PrincipalCode = z
  .string()
  .check(z.regex(/^(\d{2}|\d{4})$/, 'expected a regionkod or a kommunkod'));

/** The register as configured: principal organisation id → code, e.g. `{"SE2321000131":"14"}`. */
export const PrincipalRegisterInput = z.record(OrganisationId, PrincipalCode);

export type PrincipalKind = 'region' | 'municipality';

export interface PrincipalRegister {
  /** The code of a principal, or `undefined` when it is not in the register. */
  codeOf(principalId: string): string | undefined;
  /** The principal behind a code. */
  principalOf(code: string): string | undefined;
  /** Every registered code: regions first, then municipalities, each by code. */
  codes(): string[];
}

/** A regionkod has two digits, a kommunkod four. */
export const kindOfCode = (code: string): PrincipalKind => (code.length === 2 ? 'region' : 'municipality');

/** The register from its configuration. Two principals with one code would mix their figures: refused. */
export function principalRegister(input: Record<string, string>): PrincipalRegister {
  const entries = Object.entries(PrincipalRegisterInput.parse(input));
  const byCode = new Map(entries.map(([id, code]) => [code, id]));
  if (byCode.size !== entries.length) throw new Error('the report register gives two principals one code');
  const byId = new Map(entries);
  const codes = [...byCode.keys()].sort((a, b) => a.length - b.length || a.localeCompare(b));
  return {
    codeOf: (principalId) => byId.get(principalId),
    principalOf: (code) => byCode.get(code),
    codes: () => codes,
  };
}

/** `REPORT_PRINCIPALS` as JSON; an unreadable register stops the function at init rather than miscount. */
export function principalRegisterFrom(json: string | undefined): PrincipalRegister {
  if (!json) return principalRegister({});
  const parsed = PrincipalRegisterInput.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error('REPORT_PRINCIPALS must map principal organisation ids to codes');
  return principalRegister(parsed.data);
}
