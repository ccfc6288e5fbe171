/**
 * The API's surface, declared once: the handler dispatches on these route keys, the CDK stack creates a
 * gateway route for each (with the scope its action needs), the local runtime matches requests against
 * them, and the OpenAPI document is generated from them.
 */

import * as z from 'zod/mini';
import { AuditEntry } from '../audit/entry.ts';
import type { CommandName } from '../domain/commands/lifecycle.ts';
import {
  CreatePlanRequest,
  EDITABLE_PARTS,
  PlanStatus,
  PlanSummaryView,
  PlanView,
  Revision,
} from '../domain/plan.ts';
import { EDIT_AUTHORITY, WHO_MAY } from '../policy/authority.ts';
import type { Action } from '../policy/policy.ts';
import { REPORT_FORMATS } from '../reporting/format-names.ts';
import { PrincipalCode } from '../reporting/principals.ts';
import { DeadlineList, PlanDeadlines, RegionalReportDocument } from './response-bodies.ts';

export const PageLimit = z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)));
export const Cursor = z.optional(z.string().check(z.maxLength(200)));

export const ListPlansQuery = z.strictObject({
  status: z.optional(PlanStatus),
  /** A personnummer or samordningsnummer: looked up by its keyed hash, never stored or logged. */
  personalIdentity: z.optional(z.string().check(z.maxLength(13))),
  limit: PageLimit,
  cursor: Cursor,
});
export const PageQuery = z.strictObject({ limit: PageLimit, cursor: Cursor });
export const DeadlinesQuery = z.strictObject({
  state: z.optional(z.enum(['overdue', 'due', 'upcoming'])),
  limit: PageLimit,
  cursor: Cursor,
});

export const RegionalReportQuery = z.strictObject({
  /** The first day of the period's first month, `YYYY-MM-DD`. */
  from: z.string().check(z.maxLength(10)),
  /** The last day of the period's last month. */
  to: z.string().check(z.maxLength(10)),
  /** One principal, by its code in the report register (regionkod or kommunkod). */
  principal: z.optional(PrincipalCode),
  format: z.optional(z.enum(REPORT_FORMATS)),
});

export const AuditList = z.strictObject({ items: z.array(AuditEntry), nextCursor: z.optional(z.string()) });
export const PlanList = z.strictObject({
  items: z.array(PlanSummaryView),
  nextCursor: z.optional(z.string()),
});
export const RevisionList = z.strictObject({ items: z.array(Revision), nextCursor: z.optional(z.string()) });
/**
 * For the description only: a JSON Merge Patch (RFC 7396) of the editable parts. Any subset, nested to any
 * depth; `null` removes a member. What is checked is the plan after the merge, against `EditableParts`.
 */
export const PlanPatch = z.strictObject(
  Object.fromEntries(EDITABLE_PARTS.map((part) => [part, z.optional(z.unknown())])) as Record<
    (typeof EDITABLE_PARTS)[number],
    z.ZodMiniOptional<z.ZodMiniUnknown>
  >,
);

export interface ResponseDeclaration {
  description: string;
  /** The body as JSON. */
  schema?: z.ZodMiniType;
  /** Bodies in other media types (`text/html`, `text/csv`): text, described by the route. */
  text?: string[];
  headers?: string[];
}

/** The Lambda functions behind the routes; `web` serves the workspace under `/app/` (routed apart, no token). */
export type FunctionName = 'api' | 'docs' | 'web';

export interface RouteDeclaration {
  operationId: string;
  /** The function that serves the route (default `api`). */
  servedBy?: FunctionName;
  summary: string;
  description: string;
  /** The action the policy checks; a route without one is public (no token). */
  action?: Action;
  query?: z.ZodMiniObject;
  /** The body; for a command route its schema is the command's input. */
  body?: { schema?: z.ZodMiniType; mediaTypes: string[]; example?: unknown };
  ifMatch?: boolean;
  /** The route takes an `Idempotency-Key` (a write that creates or changes a plan). */
  idempotent?: boolean;
  /** Answers `If-None-Match` with 304 when the client's copy is current (RFC 9110 13.1.2). */
  ifNoneMatch?: boolean;
  /** The process command the route runs. */
  command?: CommandName;
  responses: Record<number, ResponseDeclaration>;
}

const planResponse = {
  description: 'The plan, as far as your consent releases it',
  schema: PlanView,
  headers: ['ETag'],
};
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, { description: 'Problem (RFC 9457)' }]));

/**
 * A process command's route: the plan's `If-Match`, the command's body, 409 when a rule is not met. Its
 * action is `plan.update`, except for closing (`plan.close`), which the policy treats apart.
 */
const command = <N extends CommandName, A extends Action = 'plan.update'>(
  name: N,
  summary: string,
  description: string,
  action: A = 'plan.update' as A,
  answer: Record<number, ResponseDeclaration> = { 200: planResponse },
) => ({
  operationId: name,
  summary,
  // Who may run it comes from the policy's own table, so the description cannot drift from the rule.
  description: `${description}\n\n**Who:** ${WHO_MAY[name]}`,
  action,
  command: name,
  // The body is the command's input (`COMMANDS[name].input`); the docs read it from there.
  body: { mediaTypes: ['application/json'] },
  ifMatch: true,
  idempotent: true,
  responses: { ...answer, ...problems(400, 401, 403, 404, 409, 412, 415, 422, 428) },
});

export const ROUTES = {
  'POST /plans': {
    operationId: 'createPlan',
    summary: 'Create a plan',
    description:
      'Records a noticed need for a SIP. The service generates the id; the convener defaults to whoever noticed the need. Status `initiated`, version 1.',
    action: 'plan.create',
    idempotent: true,
    body: {
      schema: CreatePlanRequest,
      mediaTypes: ['application/json'],
      example: {
        individual: {
          personalIdentity: { type: 'personnummer', value: '19121212-1212' },
          name: 'Tolvan Tolvansson',
        },
        initiation: {
          noticedAt: '2026-11-02T10:00:00+01:00',
          trigger: 'professionalAssessment',
          noticedBy: {
            organisationId: 'SE2321000131-E000000000001',
            name: 'Vårdcentralen Centrum',
            person: { name: 'Anna Andersson', email: 'anna.andersson@example.se', mobile: '+46701234567' },
          },
        },
      },
    },
    responses: {
      201: { ...planResponse, headers: ['ETag', 'Location'] },
      ...problems(400, 401, 403, 409, 415, 422),
    },
  },
  'GET /plans': {
    operationId: 'listPlans',
    summary: 'List the plans your organisation may see',
    description:
      'The plans your organisation takes part in and may see now (named by a valid information-sharing consent, or as convener; see Access), newest first. Filter by `status`; page with `limit` and the `nextCursor` of the previous page. With `personalIdentity` (a personnummer or samordningsnummer, 10 or 12 digits), the plans of that individual: found by a keyed hash of the number, which is never stored in clear.',
    action: 'plan.list',
    query: ListPlansQuery,
    responses: {
      200: { description: 'A page of plan summaries', schema: PlanList },
      ...problems(400, 401, 403),
    },
  },
  'GET /plans/{planId}': {
    operationId: 'getPlan',
    summary: 'Read a plan',
    description:
      'The plan as far as your consent releases it. Its ETag is `"<version>.<view>"`: the version, and a digest of the categories released to you and your organisation — so it changes when your view does, even without a write. Send it back in `If-Match` to change the plan.',
    action: 'plan.read',
    ifNoneMatch: true,
    responses: { 200: planResponse, ...problems(401, 403, 404) },
  },
  'PATCH /plans/{planId}': {
    operationId: 'patchPlan',
    summary: 'Change the editable parts of a plan',
    description: `A JSON Merge Patch (RFC 7396) of the editable parts. \`If-Match\` with the ETag you read is required: without it (or with \`*\`) 428, when the plan has changed since 412, and nothing is written.\n\n**Who changes which part** (403 with the rule and a \`pointer\` to the part otherwise):\n\n${EDIT_AUTHORITY}`,
    action: 'plan.update',
    body: {
      schema: PlanPatch,
      mediaTypes: ['application/merge-patch+json', 'application/json'],
      example: { longTermGoal: 'Att kunna bo kvar hemma och gå till affären själv.' },
    },
    ifMatch: true,
    responses: { 200: planResponse, ...problems(400, 401, 403, 404, 409, 412, 415, 428) },
  },
  'GET /plans/{planId}/revisions': {
    operationId: 'listRevisions',
    summary: 'The version history of a plan',
    description:
      'Every version, oldest first: who, when, what action, and the JSON Pointers of the fields that changed.',
    action: 'plan.read',
    query: PageQuery,
    responses: {
      200: { description: 'A page of revisions', schema: RevisionList },
      ...problems(400, 401, 403, 404),
    },
  },
  'POST /plans/{planId}/consents': command(
    'giveConsent',
    'Record a consent',
    'samtycke: `informationSharing` or `planEstablishment`, written, oral (documented) or presumed (documented), given by the individual or a representative allowed to, naming its recipients. An information-sharing consent names the categories of information each recipient may receive (`categories` for all, `releases` per recipient): `goals`, `interventions`, `situation`, `identity`; every view of the plan applies them. `expiresAt` defaults to one year after `givenAt`, the longest allowed.',
  ),
  'POST /plans/{planId}/consents/{consentId}/withdrawal': command(
    'withdrawConsent',
    'Withdraw a consent',
    'Allowed at any time, as a whole or for some recipients only (`recipients`), who lose access the moment it is recorded while the others keep theirs; the revision names them. Withdrawing the consent to establish the plan closes an established plan (reason `consentWithdrawn`).',
  ),
  'POST /plans/{planId}/consent-refusal': command(
    'refuseConsent',
    'Record a refusal of consent',
    'Recorded only with the fact that the individual was informed first; ends the process (status `consentRefused`).',
  ),
  'POST /plans/{planId}/invitations': command(
    'sendInvitation',
    'Send a kallelse',
    'Purpose, long-term goal, questions, what each invitee contributes, time and place. Every invitee must take part in the plan and be named by an active information-sharing consent; a digital meeting needs the individual’s agreement. Status `invited`.',
  ),
  'POST /plans/{planId}/invitations/{invitationId}/responses': command(
    'respondToInvitation',
    'Answer a kallelse',
    'An invitee attends, sends a substitute, declines (invited parties only) or forwards to the right unit under the same principal, which becomes the invitee; the convener is told in the plan.',
  ),
  'POST /plans/{planId}/invitations/{invitationId}/reschedule': command(
    'rescheduleInvitation',
    'Move the meeting of a kallelse',
    'A new start (and end) time. Every invitee with an e-mail address gets an update of the same calendar event.',
  ),
  'POST /plans/{planId}/establishment': command(
    'establish',
    'Establish the plan at its meeting',
    'Needs an active planEstablishment consent, a lead responsible of a municipality or a region with an e-mail address or mobile number, an intervention with its responsible organisation, and a follow-up date and place. KVÅ AU124, or AU125 after a discharge. Status `established`.',
  ),
  'POST /plans/{planId}/follow-ups': command(
    'recordFollowUp',
    'Record a follow-up',
    'Progress, new circumstances, each intervention done and with what effect. `revised` books the next follow-up and may revise the content; `closed` closes the plan. KVÅ AW010. An early follow-up is allowed at any time.',
  ),
  'POST /plans/{planId}/closure': command(
    'close',
    'Close the plan',
    'With a reason, who was informed, where the individual can turn if a need arises again and when they were told (`individualToldAt`). Every participating organisation is then told by e-mail that the plan no longer applies (see `notices` in the deadlines). Still open to the lead responsible after consent has ended.',
    'plan.close',
  ),
  'POST /plans/{planId}/restart': command(
    'restart',
    'Close and restart after a changed goal',
    'Closes the plan with `goalChanged` and opens a new plan for the same individual and parties, linked both ways; the new plan needs new consent. Every participating organisation of the closed plan is told by e-mail that it was closed and restarted. 201 with the new plan.',
    'plan.update',
    { 201: { description: 'The new plan', schema: PlanView, headers: ['ETag', 'Location'] } },
  ),
  'POST /plans/{planId}/request-refusal': command(
    'refuseRequest',
    'Refuse a request for a SIP',
    'Only for a plan requested by the individual or next of kin, with the reason documented. Status `requestRefused`.',
  ),
  'POST /plans/{planId}/discharge-events': command(
    'recordDischargeEvent',
    'Record an event of in- och utskrivning',
    '`admitted` (an established plan is flagged for follow-up or restart), `readyForDischarge` (starts the three-day kallelse deadline), `discharged`, `sipNotNeeded` (ends the process; every participating unit is told by e-mail).',
  ),
  'GET /plans/{planId}/document': {
    operationId: 'planDocument',
    summary: 'The plan as a readable document',
    description:
      'The plan in Swedish, written for the individual, as a print-ready HTML page: the copy every participant and the individual get.',
    action: 'plan.read',
    ifNoneMatch: true,
    responses: {
      200: { description: 'The print-ready HTML page', text: ['text/html'], headers: ['ETag'] },
      ...problems(401, 403, 404),
    },
  },
  'GET /plans/{planId}/deadlines': {
    operationId: 'planDeadlines',
    summary: 'The deadlines of a plan',
    description:
      'Each deadline the service watches for the plan: when it is due, its state now (`upcoming`, `due`, `overdue`, `met`), the moments it reminds, and the reminders sent — and who they go to (the lead responsible, or the convener while there is none). Once the plan has ended (closed, restarted, or SIP not needed), `notices` says who was told and when: one notice to each participating organisation, whatever its consent, with `queuedAt` once handed on and `undeliverable` where the plan names no e-mail address for it.',
    action: 'plan.read',
    responses: { 200: { description: 'The deadlines', schema: PlanDeadlines }, ...problems(401, 403, 404) },
  },
  'GET /deadlines': {
    operationId: 'organisationDeadlines',
    summary: 'Deadlines across your organisation’s plans',
    description:
      'The deadlines in a `state` (default `overdue`; also `due`, `upcoming`) of the plans your organisation takes part in, oldest first. Page with `limit` and the `nextCursor` of the previous page.',
    action: 'plan.list',
    query: DeadlinesQuery,
    responses: {
      200: { description: 'A page of deadlines', schema: DeadlineList },
      ...problems(400, 401, 403),
    },
  },
  'GET /plans/{planId}/audit': {
    operationId: 'planAuditLog',
    summary: 'Who accessed the plan, and when',
    description:
      'The audit log extract (loggutdrag) the individual may ask for: every read, write and refused attempt on the plan, oldest first — when, which user of which organisation and unit, what, and how it ended. For the lead responsible’s organisation (the convener’s while there is none). Page with `limit` and `nextCursor`.',
    action: 'plan.audit',
    query: PageQuery,
    responses: {
      200: { description: 'A page of audit entries', schema: AuditList },
      ...problems(400, 401, 403, 404),
    },
  },
  'GET /reports/regional': {
    operationId: 'regionalReport',
    summary: 'Regional report: counts of the SIP work, by principal and target group',
    description:
      'Plans initiated (by trigger), established (AU124, AU125), followed up (AW010) and closed (by reason); the timeliness of the kallelse after discharge, of the meeting after the need was noticed and of the follow-ups; and at the end of the period the plans active, with lapsed consent and with an overdue follow-up — for one to twelve whole months (`from` the first day of a month, `to` the last day of one). Counts only: a count of 1–4 shows as `<5`, and further cells as `..` so that none can be worked out from the totals. `format=csv` (default `json`) gives a file for a spreadsheet with Swedish settings: Swedish headings and values, UTF-8 with BOM, semicolons, decimal comma; `format=xlsx` a spreadsheet with typed cells and one sheet per table; `format=html` a page with charts of the timeliness month by month. A reader at a municipality reads its own principal; a reader at the region reads every principal, or one with `principal`.',
    action: 'report.read',
    query: RegionalReportQuery,
    responses: {
      200: {
        description:
          'The report: JSON, or as `format` asks — CSV with the same columns in Swedish, an xlsx workbook, or an HTML page',
        schema: RegionalReportDocument,
        text: ['text/csv', 'text/html', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        headers: ['Content-Disposition'],
      },
      ...problems(400, 401, 403),
    },
  },
  'GET /openapi.json': {
    operationId: 'openApi',
    servedBy: 'docs',
    summary: 'This API as OpenAPI 3.1',
    description: 'Generated from the same zod schemas that validate requests.',
    responses: { 200: { description: 'OpenAPI 3.1 document', schema: z.object({}) } },
  },
  'GET /docs': {
    operationId: 'docs',
    servedBy: 'docs',
    summary: 'Read and try the API in a browser',
    description: 'An HTML page built from the OpenAPI document.',
    responses: { 200: { description: 'HTML page', text: ['text/html'] } },
  },
  'GET /docs/app.js': {
    operationId: 'docsScript',
    servedBy: 'docs',
    summary: 'The script of the page to try the API',
    description:
      'Served as a file of its own, so that the page runs no inline script and its policy allows scripts from the service only.',
    responses: { 200: { description: 'JavaScript', text: ['text/javascript'] } },
  },
  'GET /problems': {
    operationId: 'problemTypes',
    servedBy: 'docs',
    summary: 'Every problem type, explained',
    description: 'The problem types (RFC 9457) this API answers with: each `type` is a link to its page.',
    responses: { 200: { description: 'HTML page', text: ['text/html'] } },
  },
  'GET /problems/{problemType}': {
    operationId: 'problemTypePage',
    servedBy: 'docs',
    summary: 'What a problem type means',
    description:
      'The page a problem’s `type` resolves to: when the API answers with it, what it means, and what to do.',
    responses: { 200: { description: 'HTML page', text: ['text/html'] }, ...problems(404) },
  },
} as const satisfies Record<string, RouteDeclaration>;

export type RouteKey = keyof typeof ROUTES;
export const ROUTE_KEYS = Object.keys(ROUTES) as RouteKey[];

type DocsRouteKey = {
  [K in RouteKey]: (typeof ROUTES)[K] extends { servedBy: 'docs' } ? K : never;
}[RouteKey];
/** The routes the API function serves. */
export type ApiRouteKey = Exclude<RouteKey, DocsRouteKey>;

/** The routes of the process commands. */
export type CommandRouteKey = {
  [K in RouteKey]: (typeof ROUTES)[K] extends { command: CommandName } ? K : never;
}[RouteKey];

export const servedBy = (routeKey: RouteKey): FunctionName =>
  (ROUTES[routeKey] as RouteDeclaration).servedBy ?? 'api';

/**
 * HEAD is GET without the content (RFC 9110 9.3.2): every GET route answers it too, with the same scope and
 * function. These are the route keys the gateway knows.
 */
export const GATEWAY_ROUTE_KEYS: string[] = ROUTE_KEYS.flatMap((routeKey) =>
  routeKey.startsWith('GET ') ? [routeKey, `HEAD ${routeKey.slice(4)}`] : [routeKey],
);

/** The declared route a gateway route key runs: `HEAD /x` runs `GET /x`; undefined for `$default`. */
export function declaredRoute(gatewayRouteKey: string): RouteKey | undefined {
  const routeKey = gatewayRouteKey.replace(/^HEAD /, 'GET ');
  return routeKey in ROUTES ? (routeKey as RouteKey) : undefined;
}

/**
 * The workspace's paths: `/app` and all below it go to the web function, with no authorizer — it signs its
 * users in itself, and every page but the sign-in's own needs its session.
 */
export const isWorkspacePath = (path: string) => path === '/app' || path.startsWith('/app/');

/** The public routes: everything else needs a bearer token. */
export const isPublic = (routeKey: RouteKey) => !('action' in ROUTES[routeKey]);
