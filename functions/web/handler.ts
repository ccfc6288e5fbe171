/**
 * The web function: the workspace under `/app/`, where professionals sign in, land on what is due and read
 * their plans. It runs the OpenID Connect code flow itself (the gateway puts no authorizer on `/app/`), keeps
 * sessions server-side, verifies the user's access token on every page as the JWT authorizer would, and reads
 * through the same application layer, policy, consent cut and audit log as the API.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { commandOperation } from '../../shared/application/commands.ts';
import { dueForOrganisation, dueItemsOf } from '../../shared/application/deadlines.ts';
import { findByPersonalIdentity } from '../../shared/application/find.ts';
import { callerView, planEtagFor, releasedToCaller, visiblePlan } from '../../shared/application/kit.ts';
import { loadServices } from '../../shared/application/services.ts';
import { startAuditTrail } from '../../shared/audit/trail.ts';
import { gatewayClaims, jwtAuthorizer } from '../../shared/auth/access-token.ts';
import { loadConfig } from '../../shared/config.ts';
import { DomainError, NotFoundError } from '../../shared/domain/errors.ts';
import { releasedView } from '../../shared/domain/information.ts';
import type { Plan, PlanView } from '../../shared/domain/plan.ts';
import { DOCUMENT_POLICY, renderPlanDocument } from '../../shared/html/plan-document.tsx';
import { problemText } from '../../shared/html/problem-texts.ts';
import type { ApiRequest } from '../../shared/http/api.ts';
import { callerFromClaims } from '../../shared/http/caller.ts';
import { securityHeaders } from '../../shared/http/middleware.ts';
import { type ProblemDocument, problemOf } from '../../shared/http/problem.ts';
import { pagePolicy } from '../../shared/http/security.ts';
import { logger } from '../../shared/observability/powertools.ts';
import { accessOf, decide, decideWrite, releasedTo } from '../../shared/policy/policy.ts';
import type { Session, SignedIn } from '../../shared/store/sessions.ts';
import { COMMAND_FORMS, type CommandForm, type Fields } from './command-forms.tsx';
import { commandFormPage, confirmPage, type FormErrors, findPage, NO_ERRORS } from './forms.tsx';
import { type Actor, accessibilityPage, auditPage, messagePage, planPage, todoPage } from './pages.tsx';
import { returnTarget } from './return-target.ts';
import { signInClient } from './sign-in.ts';
import { stylesheet } from './stylesheet.ts';

type Result = APIGatewayProxyStructuredResultV2;

const config = loadConfig();
if (!config.signIn || !config.appBaseUrl)
  throw new Error('JWT_ISSUER, JWT_AUDIENCE, WEB_CLIENT_SECRET(_ARN) and APP_BASE_URL must be set');
const signInSettings = config.signIn;
const services = await loadServices(config);
const clientSecret =
  'value' in signInSettings.clientSecret
    ? signInSettings.clientSecret.value
    : await readSecret(signInSettings.clientSecret.secretArn);
const oidc = signInClient({
  issuer: signInSettings.issuer,
  clientId: signInSettings.clientId,
  clientSecret,
  appBaseUrl: config.appBaseUrl,
});
const verifyAccessToken = jwtAuthorizer({
  issuer: signInSettings.issuer,
  audience: [signInSettings.audience],
  claimNames: config.claimNames,
});

/** Over HTTPS the cookie is `__Host-` (Secure, this host only, path /); on plain-HTTP localhost it cannot be. */
const secure = config.appBaseUrl.startsWith('https://');
const COOKIE = secure ? '__Host-sip-session' : 'sip-session';

/**
 * The pages' policy: the stylesheet as a file, the design system's data-URI icons, no script at all, forms
 * posting here — and on to the provider, where signing out is redirected.
 */
const PAGE_POLICY = pagePolicy({
  stylesheets: true,
  images: true,
  formTargets: [new URL(signInSettings.issuer).origin],
});

async function readSecret(secretArn: string): Promise<string> {
  const { SecretString } = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: secretArn }),
  );
  if (!SecretString) throw new Error('the web client secret is empty');
  return SecretString;
}

const cookieOf = (event: APIGatewayProxyEventV2) => {
  const cookies = event.cookies ?? event.headers?.cookie?.split(';') ?? [];
  for (const cookie of cookies) {
    const [name, ...value] = cookie.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
};

const setCookie = (value: string, maxAgeSeconds?: number) =>
  [
    `${COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
    ...(maxAgeSeconds !== undefined ? [`Max-Age=${maxAgeSeconds}`] : []),
  ].join('; ');

const html = (status: number, body: string, policy = PAGE_POLICY): Result => ({
  statusCode: status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': policy,
  },
  body,
});

const redirect = (location: string, cookies: string[] = []): Result => ({
  statusCode: 303,
  headers: { location, 'cache-control': 'no-store' },
  ...(cookies.length > 0 && { cookies }),
});

/**
 * A plan the organisation may not see (404, the same as one that does not exist, as in the API), or an action
 * it may not take (403).
 */
const refusedPage = (notFound: boolean, actor?: Actor) =>
  html(
    notFound ? 404 : 403,
    messagePage({
      title: notFound ? 'Planen finns inte' : 'Inte tillåtet',
      text: notFound
        ? 'Det finns ingen plan här som er verksamhet kan se.'
        : 'Er behörighet räcker inte för att se det här.',
      stylesheet: stylesheet().path,
      actor,
      link: { href: '/app/', text: 'Till Att göra' },
    }),
  );

const sameToken = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The form's fields (`application/x-www-form-urlencoded`), read as UTF-8. */
function formOf(event: APIGatewayProxyEventV2): URLSearchParams {
  const body = event.body
    ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8')
    : '';
  return new URLSearchParams(body);
}

/** A problem as the form shows it: each failing field with its Swedish text, in the summary and beside it. */
function formErrors(problem: ProblemDocument, form: CommandForm): FormErrors {
  const fieldOf = form.fieldOf;
  const issues = (problem.errors as { pointer?: string }[] | undefined) ?? [];
  const lines =
    issues.length > 0
      ? issues.map((issue) => {
          const field = fieldOf(issue.pointer, problem.type);
          return { field, text: (field && form.fieldTexts[field]) || problemText(problem.type) };
        })
      : [
          {
            field: fieldOf(problem.pointer as string | undefined, problem.type),
            text: problemText(problem.type),
          },
        ];
  const unique = [...new Map(lines.map((line) => [`${line.field}|${line.text}`, line])).values()];
  return {
    summary: unique,
    byField: Object.fromEntries(unique.flatMap((line) => (line.field ? [[line.field, line.text]] : []))),
  };
}

export function createWebHandler(options: { sessionClock?: () => number } = {}) {
  const realNow = options.sessionClock ?? Date.now;

  async function signedIn(
    event: APIGatewayProxyEventV2,
  ): Promise<{ session: Session; actor: Actor } | undefined> {
    const id = cookieOf(event);
    if (!id) return undefined;
    const session = await services.sessions.find(id, realNow());
    if (session?.data.kind !== 'signedIn') return undefined;
    try {
      const payload = await verifyAccessToken(session.data.accessToken);
      const caller = callerFromClaims(gatewayClaims(payload), config.claimNames);
      await services.sessions.touch(session, realNow());
      return { session, actor: { caller, name: session.data.name, formToken: session.data.formToken } };
    } catch {
      // A token that no longer verifies (expired, keys rotated, claims unusable) ends the session.
      await services.sessions.end(id);
      return undefined;
    }
  }

  const signInFirst = (event: APIGatewayProxyEventV2) =>
    redirect(
      `/app/sign-in?return=${encodeURIComponent(`${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`)}`,
    );

  /** What a page view asks of the application layer: a request as the API's operations see it. */
  const pageRequest = (
    event: APIGatewayProxyEventV2,
    actor: Actor,
    action: string,
    planId?: string,
  ): ApiRequest => {
    const now = new Date(event.requestContext.timeEpoch || Date.now());
    return {
      caller: actor.caller,
      operationId: action,
      path: event.rawPath,
      pathParameters: planId ? { planId } : {},
      query: {},
      headers: {},
      body: undefined,
      now,
      audit: startAuditTrail({
        caller: actor.caller,
        action,
        requestId: event.requestContext.requestId,
        now,
      }),
    };
  };

  /** Runs a page view with its audit entry: one per view, as the API read it stands for leaves one. */
  async function audited(request: ApiRequest, view: () => Promise<Result>): Promise<Result> {
    let result: Result;
    try {
      result = await view();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      result = refusedPage(error instanceof NotFoundError);
    }
    await services.audit.record(request.audit.entry(result.statusCode ?? 500));
    return result;
  }

  async function serve(event: APIGatewayProxyEventV2): Promise<Result> {
    const method = event.requestContext.http.method;
    const path = event.rawPath.replace(/^\/app$/, '/app/');
    const query = new URLSearchParams(event.rawQueryString ?? '');
    const css = stylesheet();

    if (method === 'GET' && path.startsWith('/app/assets/')) {
      if (path !== css.path)
        return html(
          404,
          messagePage({
            title: 'Sidan finns inte',
            text: 'Det finns ingen sådan fil.',
            stylesheet: css.path,
          }),
        );
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/css; charset=utf-8',
          'cache-control': 'public, max-age=31536000, immutable',
        },
        body: css.css,
      };
    }

    if (method === 'GET' && path === '/app/sign-in') {
      const { url, pending } = await oidc.start(returnTarget(query.get('return') ?? undefined));
      const session = await services.sessions.create(pending, realNow());
      return redirect(url, [setCookie(session.id)]);
    }

    if (method === 'GET' && path === '/app/signed-in') {
      const id = cookieOf(event);
      const pending = id ? await services.sessions.find(id, realNow()) : undefined;
      if (id) await services.sessions.end(id);
      const failed = (text: string) =>
        html(
          400,
          messagePage({
            title: 'Inloggningen blev inte klar',
            text,
            stylesheet: css.path,
            link: { href: '/app/sign-in', text: 'Logga in igen' },
          }),
          PAGE_POLICY,
        );
      if (pending?.data.kind !== 'signingIn')
        return failed('Inloggningen tog för lång tid eller startades inte här. Logga in igen.');
      if (query.has('error')) return failed('Inloggningen avbröts.');
      try {
        const callback = new URL(
          `${config.appBaseUrl?.replace(/\/$/, '')}${event.rawPath}?${event.rawQueryString}`,
        );
        const tokens = await oidc.finish(callback, pending.data, realNow());
        const payload = await verifyAccessToken(tokens.accessToken);
        callerFromClaims(gatewayClaims(payload), config.claimNames);
        const data: SignedIn = {
          kind: 'signedIn',
          accessToken: tokens.accessToken,
          accessTokenExpiresAt: tokens.accessTokenExpiresAt,
          idToken: tokens.idToken,
          name: tokens.name,
          formToken: randomUUID(),
        };
        // A new session, under a new id: the id of the sign-in never becomes the id of the signed-in user.
        const session = await services.sessions.create(data, realNow());
        return redirect(pending.data.returnTo, [setCookie(session.id)]);
      } catch (error) {
        logger.warn('sign-in failed', { error: error instanceof Error ? error.message : String(error) });
        return failed('Inloggningen kunde inte bekräftas. Logga in igen.');
      }
    }

    if (method === 'POST' && path === '/app/sign-out') {
      const current = await signedIn(event);
      const token = formOf(event).get('formToken') ?? '';
      if (!current || !sameToken(token, current.actor.formToken))
        return html(
          403,
          messagePage({
            title: 'Utloggningen gick inte att bekräfta',
            text: 'Formuläret hörde inte till din inloggning. Ladda om sidan och försök igen.',
            stylesheet: css.path,
            link: { href: '/app/', text: 'Till Att göra' },
          }),
        );
      await services.sessions.end(current.session.id);
      const idToken = current.session.data.kind === 'signedIn' ? current.session.data.idToken : undefined;
      return redirect(await oidc.signOutUrl(idToken), [setCookie('', 0)]);
    }

    if (method === 'GET' && path === '/app/signed-out')
      return html(
        200,
        messagePage({
          title: 'Du är utloggad',
          text: 'Du är utloggad från arbetsytan och från inloggningstjänsten.',
          stylesheet: css.path,
          link: { href: '/app/sign-in', text: 'Logga in igen' },
        }),
      );

    if (path === '/app/hitta' && (method === 'GET' || method === 'POST')) {
      const current = await signedIn(event);
      if (!current) return signInFirst({ ...event, rawQueryString: '' });
      const { actor } = current;
      if (method === 'GET') return html(200, findPage({ actor, stylesheet: css.path, value: '' }));
      const form = formOf(event);
      if (!sameToken(form.get('formToken') ?? '', actor.formToken))
        return html(
          403,
          findPage({
            actor,
            stylesheet: css.path,
            value: '',
            error: 'Formuläret hörde inte till din inloggning. Sök igen.',
          }),
        );
      const value = (form.get('personnummer') ?? '').trim();
      const request = pageRequest(event, actor, 'listPlans');
      let found: Awaited<ReturnType<typeof findByPersonalIdentity>> | undefined;
      try {
        found = await findByPersonalIdentity(request, services, value);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
      await services.audit.record(request.audit.entry(found ? 200 : 400));
      if (!found)
        return html(
          400,
          findPage({
            actor,
            stylesheet: css.path,
            value,
            error: 'Ange ett giltigt personnummer eller samordningsnummer med 12 siffror.',
          }),
        );
      const plans = await services.plans.getMany(found.map(({ summary }) => summary.planId));
      const results = plans.map((plan) => {
        const released = found?.find((f) => f.summary.planId === plan.planId)?.released ?? new Set<never>();
        const view = releasedView(plan, released, actor.caller.organisationId) as PlanView;
        return { planId: plan.planId, name: view.individual.name, status: view.status };
      });
      return html(200, findPage({ actor, stylesheet: css.path, value, results }));
    }

    if (method === 'GET' && path === '/app/tillganglighet')
      return html(200, accessibilityPage({ stylesheet: css.path, actor: (await signedIn(event))?.actor }));

    const formPath = /^\/app\/plans\/([0-9a-f-]{36})\/([a-z]+)$/.exec(path);
    const commandForm = formPath && COMMAND_FORMS.find((form) => form.slug === formPath[2]);
    if (formPath && commandForm && (method === 'GET' || method === 'POST')) {
      const current = await signedIn(event);
      // A form sent without a session is lost (it cannot be replayed); its page opens again after sign-in.
      if (!current) return signInFirst({ ...event, rawQueryString: '' });
      return commandFormRoute(commandForm, event, current.actor, formPath[1] ?? '', method === 'POST');
    }

    const log = /^\/app\/plans\/([0-9a-f-]{36})\/logg$/.exec(path);
    if (method === 'GET' && log) {
      const current = await signedIn(event);
      if (!current) return signInFirst(event);
      const planId = log[1] ?? '';
      const request = pageRequest(event, current.actor, 'planAuditLog', planId);
      return audited(request, async () => {
        const found = await visiblePlan(request, 'plan.audit', services);
        const after = query.get('efter') ?? undefined;
        const page = await services.audit.forPlan(found.planId, {
          limit: 50,
          after: after && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w=+/-]{1,64}$/.test(after) ? after : undefined,
        });
        return html(
          200,
          auditPage({
            actor: current.actor,
            stylesheet: css.path,
            plan: callerView(request, found) as PlanView,
            entries: page.items,
            next: page.last,
          }),
        );
      });
    }

    const plan = /^\/app\/plans\/([0-9a-f-]{36})(\/utskrift)?$/.exec(path);
    if (method === 'GET' && (path === '/app/' || plan)) {
      const current = await signedIn(event);
      if (!current) return signInFirst(event);
      const { actor } = current;
      if (!plan) {
        const request = pageRequest(event, actor, 'organisationDeadlines');
        return audited(request, async () => {
          const due = (await dueForOrganisation(request, services)).filter(
            (item) => item.responsible === actor.caller.organisationId && item.state !== 'met',
          );
          const plans = await plansPage(request, query.get('planer') ?? undefined);
          return html(
            200,
            todoPage({ actor, stylesheet: css.path, due, plans: plans.items, nextPlans: plans.next }),
          );
        });
      }
      const planId = plan[1] ?? '';
      if (plan[2]) {
        const request = pageRequest(event, actor, 'planDocument', planId);
        return audited(request, async () => {
          const found = await visiblePlan(request, 'plan.read', services);
          const released = releasedToCaller(request, found);
          return html(
            200,
            renderPlanDocument(callerView(request, found, released), released),
            DOCUMENT_POLICY,
          );
        });
      }
      const request = pageRequest(event, actor, 'getPlan', planId);
      return audited(request, async () => {
        const found = await visiblePlan(request, 'plan.read', services);
        const released = releasedToCaller(request, found);
        const view = callerView(request, found, released) as PlanView;
        const due = released.has('interventions')
          ? dueItemsOf(found, request.now, services.deadlineSettings).filter((d) => d.state !== 'met')
          : [];
        // Only the actions the caller may take now: the same policy decides as for the API call.
        const access = accessOf(found);
        const actions = found.closure
          ? []
          : COMMAND_FORMS.filter(
              (form) =>
                decide(actor.caller, form.action, request.now, access).allowed &&
                decideWrite(actor.caller, request.now, {
                  kind: 'command',
                  name: form.command,
                  input: {},
                  previous: found,
                  next: undefined,
                }).allowed,
            ).map((form) => ({ href: `/app/plans/${planId}/${form.slug}`, text: form.title }));
        if (decide(actor.caller, 'plan.audit', request.now, access).allowed)
          actions.push({ href: `/app/plans/${planId}/logg`, text: 'Loggen: vem som har läst och ändrat' });
        const saved = COMMAND_FORMS.find((form) => form.slug === query.get('sparat'))?.saved;
        return html(
          200,
          planPage({ actor, stylesheet: css.path, plan: view, released, due, actions, saved }),
        );
      });
    }

    return html(
      404,
      messagePage({
        title: 'Sidan finns inte',
        text: 'Det finns ingen sida här.',
        stylesheet: css.path,
        link: { href: '/app/', text: 'Till Att göra' },
      }),
    );
  }

  /**
   * A form of the process: GET shows it, POST runs the same command as the API route it stands for (the
   * application layer's command operation: policy, process rules, If-Match, Idempotency-Key, audit). A
   * refusal shows the form again with what was typed; a success, or the same form sent again, goes to the plan.
   * A command that cannot be undone is asked to be confirmed first.
   */
  async function commandFormRoute(
    form: CommandForm,
    event: APIGatewayProxyEventV2,
    actor: Actor,
    planId: string,
    posted: boolean,
  ): Promise<Result> {
    const css = stylesheet();
    const formPath = `/app/plans/${planId}/${form.slug}`;
    const sent = posted ? formOf(event) : new URLSearchParams();
    if (posted && !sameToken(sent.get('formToken') ?? '', actor.formToken))
      return html(
        403,
        messagePage({
          title: 'Formuläret gick inte att skicka',
          text: 'Formuläret hörde inte till din inloggning, så inget sparades. Öppna det på nytt.',
          stylesheet: css.path,
          actor,
          link: { href: formPath, text: 'Öppna formuläret igen' },
        }),
      );
    const shown = (request: ApiRequest, found: Plan) => callerView(request, found) as PlanView;
    if (!posted) {
      const read = pageRequest(event, actor, 'getPlan', planId);
      return audited(read, async () => {
        const found = await visiblePlan(read, form.action, services);
        return html(
          200,
          commandFormPage({
            actor,
            stylesheet: css.path,
            form,
            plan: shown(read, found),
            state: {
              formToken: actor.formToken,
              idempotencyKey: randomUUID(),
              etag: planEtagFor(read, found),
            },
            fields: form.initial(shown(read, found), read.now),
            errors: NO_ERRORS,
          }),
        );
      });
    }
    const fields: Fields = {};
    for (const name of new Set(sent.keys()))
      if (!['formToken', 'idempotencyKey', 'etag', 'confirmed'].includes(name)) {
        const values = sent.getAll(name);
        fields[name] = values.length > 1 ? values : (values[0] ?? '');
      }
    const state = {
      formToken: actor.formToken,
      idempotencyKey: sent.get('idempotencyKey') ?? '',
      etag: sent.get('etag') ?? '',
    };
    if (form.confirm && sent.get('confirmed') !== 'yes') {
      const read = pageRequest(event, actor, 'getPlan', planId);
      return audited(read, async () => {
        const found = await visiblePlan(read, form.action, services);
        return html(
          200,
          confirmPage({ actor, stylesheet: css.path, form, plan: shown(read, found), state, fields }),
        );
      });
    }
    const request: ApiRequest = {
      ...pageRequest(event, actor, form.command, planId),
      headers: {
        'content-type': 'application/json',
        'if-match': state.etag,
        'idempotency-key': state.idempotencyKey,
      },
      body: Buffer.from(JSON.stringify(form.input(fields))),
    };
    // The command writes its own audit entry in its transaction; a refusal's is written here.
    let answer: Awaited<ReturnType<ReturnType<typeof commandOperation>>> | undefined;
    let refusal: ProblemDocument | undefined;
    try {
      answer = await commandOperation(form.command, form.action)(request, services);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refusal = problemOf(error);
    }
    if (!request.audit.recorded)
      await services.audit.record(request.audit.entry(answer?.status ?? refusal?.status ?? 500));
    if (answer) return redirect(`/app/plans/${planId}?sparat=${form.slug}`);
    const problem = refusal as ProblemDocument;
    if (problem.status === 404) return refusedPage(true, actor);
    // Show the plan as it is now; on a collision, with its new version to save against.
    const again = pageRequest(event, actor, 'getPlan', planId);
    const found = await visiblePlan(again, 'plan.read', services);
    await services.audit.record(again.audit.entry(200));
    const collision = problem.status === 412;
    return html(
      collision ? 409 : 400,
      commandFormPage({
        actor,
        stylesheet: css.path,
        form,
        plan: shown(again, found),
        state: {
          ...state,
          idempotencyKey: randomUUID(),
          etag: collision ? planEtagFor(again, found) : state.etag,
        },
        fields,
        errors: formErrors(problem, form),
        collision,
      }),
    );
  }

  /**
   * One page of the plans the organisation takes part in and may see (25), the same decision as the list
   * of the API, each shown with the individual's name as its reader sees it.
   */
  async function plansPage(request: ApiRequest, cursor: string | undefined) {
    const listed = await services.plans.listForOrganisation(request.caller.organisationId, {
      limit: 25,
      ...(cursor && /^[0-9a-f-]{36}$/.test(cursor) && { after: cursor }),
    });
    const access = new Map(
      listed.items.flatMap(({ summary, access }) =>
        access && decide(request.caller, 'plan.read', request.now, access).allowed
          ? [[summary.planId, access]]
          : [],
      ),
    );
    const plans = await services.plans.getMany([...access.keys()]);
    const items = plans.map((plan) => {
      const planAccess = access.get(plan.planId);
      const released = planAccess
        ? releasedTo(planAccess, request.caller.organisationId, request.now)
        : new Set<never>();
      const view = releasedView(plan, released, request.caller.organisationId) as PlanView;
      return {
        planId: plan.planId,
        name: view.individual.name,
        status: view.status,
        followUpDate: view.content?.followUp?.date,
      };
    });
    return { items, next: listed.last };
  }

  return middy<APIGatewayProxyEventV2, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(securityHeaders())
    .handler(serve);
}

export const handler = createWebHandler();
