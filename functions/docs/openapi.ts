/**
 * The API description: OpenAPI 3.1 generated from the route declarations and their zod schemas, built on
 * the first request and kept for the life of the container.
 */

import * as z from 'zod/mini';
import { COMMANDS } from '../../shared/domain/commands/index.ts';
import { Consent } from '../../shared/domain/consent.ts';
import { Intervention, LeadResponsible, PlanContent } from '../../shared/domain/content.ts';
import { Individual } from '../../shared/domain/individual.ts';
import {
  Actor,
  OrganisationPerson,
  ParticipatingOrganisation,
  Person,
  Representative,
} from '../../shared/domain/people.ts';
import { PersonalIdentity } from '../../shared/domain/personal-identity.ts';
import { CreatePlanRequest, PlanSummaryView, PlanView, Revision } from '../../shared/domain/plan.ts';
import { Closure, Meeting } from '../../shared/domain/process.ts';
import { PROBLEMS, problemType } from '../../shared/http/problem.ts';
import {
  PlanList,
  PlanPatch,
  type ResponseDeclaration,
  RevisionList,
  ROUTE_KEYS,
  ROUTES,
  type RouteDeclaration,
} from '../../shared/http/routes.ts';
import { ACTIONS } from '../../shared/policy/policy.ts';

const COMPONENTS: Record<string, z.ZodMiniType> = {
  // A plan and a list item as a reader sees them: the parts its consent releases (`information.ts`).
  PlanView,
  PlanSummaryView,
  CreatePlanRequest,
  PlanPatch,
  PlanList,
  Revision,
  RevisionList,
  Individual,
  PersonalIdentity,
  Representative,
  ParticipatingOrganisation,
  OrganisationPerson,
  Person,
  Actor,
  PlanContent,
  Intervention,
  LeadResponsible,
  Consent,
  Meeting,
  Closure,
  // The process commands' inputs, named after their commands: GiveConsent, SendInvitation …
  ...Object.fromEntries(
    Object.entries(COMMANDS).map(([name, command]) => [
      `${name.charAt(0).toUpperCase()}${name.slice(1)}`,
      command.input,
    ]),
  ),
};

/** The request body of a route: declared with it, or for a process command the command's input. */
const bodySchema = (route: RouteDeclaration): z.ZodMiniType =>
  route.body?.schema ?? (route.command ? COMMANDS[route.command].input : z.unknown());

let cachedDocument: object | undefined;

export function openApiDocument(): object {
  cachedDocument ??= buildDocument();
  return cachedDocument;
}

function buildDocument(): object {
  const registry = z.registry<{ id: string }>();
  const ids = new Map<z.ZodMiniType, string>();
  for (const [id, schema] of Object.entries(COMPONENTS)) {
    registry.add(schema, { id });
    ids.set(schema, id);
  }
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
    io: 'input',
  });
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  const ref = (schema: z.ZodMiniType) => {
    const id = ids.get(schema);
    return id
      ? { $ref: `#/components/schemas/${id}` }
      : z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  };

  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  const contentOf = (status: string, response: ResponseDeclaration) => {
    if (!response.schema && !response.text) return Number(status) >= 400 ? problem : undefined;
    return {
      ...(response.schema && { 'application/json': { schema: ref(response.schema) } }),
      ...Object.fromEntries((response.text ?? []).map((type) => [type, { schema: { type: 'string' } }])),
    };
  };
  const responseOf = (status: string, response: ResponseDeclaration, head: boolean) => {
    // A HEAD answer has the headers of its GET, and no content.
    const content = head ? undefined : contentOf(status, response);
    return {
      description: response.description,
      ...(response.headers && {
        headers: Object.fromEntries(response.headers.map((h) => [h, { schema: { type: 'string' } }])),
      }),
      ...(content && { content }),
    };
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const routeKey of ROUTE_KEYS) {
    const route: RouteDeclaration = ROUTES[routeKey];
    const [method = '', path = ''] = routeKey.split(' ');
    const parameters = [
      ...[...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
        name,
        in: 'path',
        required: true,
        // The ids are the service's own UUIDs; the one other path parameter names a problem type.
        schema: name?.endsWith('Id')
          ? { type: 'string', format: 'uuid' }
          : { type: 'string', pattern: '^[a-z-]+$' },
      })),
      ...Object.entries(route.query?.def.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema: z.toJSONSchema(schema as z.ZodMiniType, { io: 'input', unrepresentable: 'any' }),
      })),
      ...(route.ifMatch
        ? [
            {
              name: 'If-Match',
              in: 'header',
              required: true,
              description:
                'The ETag you read (`"<version>.<view>"`; a bare `"<version>"` works too): its version must be the plan’s now, or 412. Without it, or with `*` (which would change the plan blind), 428.',
              schema: { type: 'string' },
            },
          ]
        : []),
      ...(route.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'A key you choose for this request (the IETF HTTP Idempotency-Key draft), e.g. `"8e03978e-40d5-43e8-bc93-6894a57f9324"`. A retry with the same key and body gets the first answer (status, body, ETag, with `Idempotent-Replayed: true`) and writes nothing, even with the If-Match of its first try; the same key with another body is 422. Keys are your user’s own and kept 24 hours.',
              schema: { type: 'string', maxLength: 257 },
            },
          ]
        : []),
      ...(route.ifNoneMatch
        ? [
            {
              name: 'If-None-Match',
              in: 'header',
              required: false,
              description:
                'The ETag of the copy you hold: 304 with no content while it is current. The ETag names your view as well as the version, so a view narrowed since (a consent lapsed) is answered 200.',
              schema: { type: 'string' },
            },
          ]
        : []),
    ];
    const responses: Record<string, ResponseDeclaration> = {
      ...route.responses,
      ...(route.ifNoneMatch && {
        304: { description: 'Not modified: your copy is current', headers: ['ETag'] },
      }),
      // Any path answers a method it does not take with 405, and any operation can fail unexpectedly.
      405: {
        description: 'Problem (RFC 9457): the path does not take this method; `Allow` lists those it does',
        headers: ['Allow'],
      },
      500: { description: 'Problem (RFC 9457): an unexpected failure, logged' },
    };
    const operation = (head: boolean) => ({
      operationId: head ? `${route.operationId}Head` : route.operationId,
      summary: head ? `${route.summary} (headers only)` : route.summary,
      description: head ? `As GET ${path}, without the content (RFC 9110 9.3.2).` : route.description,
      ...(route.action ? { security: [{ bearer: [ACTIONS[route.action]] }] } : { security: [] }),
      ...(parameters.length > 0 && { parameters }),
      ...(route.body && {
        requestBody: {
          required: true,
          content: Object.fromEntries(
            route.body.mediaTypes.map((type) => [
              type,
              {
                schema: ref(bodySchema(route)),
                ...(route.body?.example !== undefined && { example: route.body.example }),
              },
            ]),
          ),
        },
      }),
      responses: Object.fromEntries(
        Object.entries(responses).map(([status, response]) => [status, responseOf(status, response, head)]),
      ),
    });
    paths[path] ??= {};
    const item = paths[path] as Record<string, unknown>;
    item[method.toLowerCase()] = operation(false);
    if (method === 'GET') item.head = operation(true);
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'SIP — samordnad individuell plan',
      version: '1.0.0',
      // The service is not published under an open licence.
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      description:
        'Keeps coordinated individual plans (SIP) between municipalities and regions: who does what and when, the lead responsible, the follow-up date and the consents the plan rests on. Every route but this document and /docs needs a bearer JWT with the scope shown.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        ...schemas,
        Problem: {
          type: 'object',
          description: `RFC 9457 problem details. \`type\` resolves to a page that explains it; /problems lists them all: ${Object.keys(PROBLEMS).map(problemType).join(', ')}, and for a 409 the rule (\`/problems/<rule>\`).`,
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            requestId: { type: 'string' },
            rule: { type: 'string', description: 'For a 409: the rule of the process that is not met.' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  pointer: { type: 'string' },
                  parameter: { type: 'string' },
                  detail: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
  };
}
