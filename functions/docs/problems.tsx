/**
 * The pages a problem's `type` resolves to (RFC 9457 3.1.1): `/problems` lists every type, and
 * `/problems/<type>` says when the API answers with it and what to do. Built from the one table of problem
 * kinds and the rules of the process, so a new kind or rule has its page as soon as it exists.
 */

import type { ComponentChildren } from 'preact';
import { RULES, type Rule } from '../../shared/domain/commands/rules.ts';
import { InlineStyle, WithCode } from '../../shared/html/parts.tsx';
import { renderPage } from '../../shared/html/render.ts';
import { PROBLEMS } from '../../shared/http/problem.ts';
import { pagePolicy } from '../../shared/http/security.ts';
import { AUTHORITY_RULES, type AuthorityRule } from '../../shared/policy/authority.ts';

type Kind = keyof typeof PROBLEMS;

/** What each general kind means and what a client does about it. */
const EXPLANATIONS: Record<Kind, string> = {
  'validation-failed':
    'A field, a query parameter or the body as a whole is not what the API accepts. `errors` lists each one: `pointer` (a JSON Pointer into the body) or `parameter`, and what is wrong. Text may not hold control characters other than tab and line breaks. Nothing was written; correct the request and send it again.',
  'malformed-json':
    'The body is not one JSON value: it does not parse, or an object names the same member twice. Nothing was written.',
  'body-not-utf8':
    'The body holds bytes that are no UTF-8 character (an overlong form, a lone continuation byte, an encoded surrogate, a truncated sequence, a byte above F4), or the replacement character U+FFFD, which is what a system on the way writes in place of such bytes. `detail` gives the byte where it starts. A name or a goal is never stored changed: send the text as it was written, encoded as UTF-8. Nothing was written.',
  'body-too-large':
    'The body is over 128 KiB (status 400), or over the 10 MB the gateway takes at all (status 413). No plan needs that much; nothing was written.',
  'plan-too-large':
    'The change would make the plan larger than one stored record can hold. Shorten the free text or split the plan; nothing was written.',
  unauthenticated:
    'No bearer token was sent, or the one sent was refused (expired, wrong issuer or audience, or missing the user or organisation claim). `WWW-Authenticate` says which. Get a new token and send it as `Authorization: Bearer <token>`.',
  forbidden:
    'The token is valid, but its scopes or your organisation’s role in the plan do not allow this. The detail says what is missing.',
  'not-found':
    'No such resource — or a plan your organisation may not see, which is answered the same way so that its existence is not disclosed.',
  'method-not-allowed':
    'The resource exists but does not take this method. `Allow` lists the methods it takes.',
  'unsupported-media-type':
    'The body is in a media type, character set or content encoding the API does not read. Send JSON (`application/json`, for a PATCH also `application/merge-patch+json`) in UTF-8, without `Content-Encoding`. Nothing was written.',
  'precondition-failed':
    'The plan has changed since the version named in `If-Match`. Read it again (the ETag is its version), reapply your change and send it with the new ETag. Nothing was written.',
  'precondition-required':
    'A change to a plan needs `If-Match` with the ETag of the version it was made on, so that no one overwrites a change they have not seen. Nothing was written.',
  'rule-violation':
    'A rule of the SIP process is not met. The problem’s `type` names the rule itself (see the list); `detail` says what exactly. Nothing was written.',
  'idempotency-key-reused':
    'The `Idempotency-Key` was used in the last 24 hours for another request (another operation, path or body). A key names one request: a retry must repeat it exactly. Use a new key for a new request. Nothing was written.',
  'internal-error':
    'Something went wrong on the service’s side. It has been logged with the request id; try again later, and quote `requestId` if you report it.',
};

export interface ProblemTypeInfo {
  type: string;
  title: string;
  status: number;
  explanation: string;
}

const RULE_EXPLANATION =
  'A command of the SIP process was refused because this rule is not met. `rule` names it and `detail` says what exactly; nothing was written. Correct the plan (or record what is missing) and send the command again.';

const AUTHORITY_EXPLANATION =
  'The change touches a part of the plan that is not your organisation’s to change, or a command that is not yours to run (who may change what is in the API description of each route). `rule` names the rule, `pointer` the part, and `detail` whose it is; nothing was written. Ask the organisation that holds the part, or the keeper of the plan.';

/** Every problem type the API answers with, the general kinds first and then the rules of the process. */
export function problemTypes(): ProblemTypeInfo[] {
  return [
    ...(Object.keys(PROBLEMS) as Kind[])
      .filter((kind) => kind !== 'rule-violation')
      .map((kind) => ({ type: kind, ...PROBLEMS[kind], explanation: EXPLANATIONS[kind] })),
    ...(Object.keys(RULES) as Rule[]).map((rule) => ({
      type: rule,
      title: RULES[rule],
      status: PROBLEMS['rule-violation'].status,
      explanation: RULE_EXPLANATION,
    })),
    ...(Object.keys(AUTHORITY_RULES) as AuthorityRule[]).map((rule) => ({
      type: rule,
      title: AUTHORITY_RULES[rule],
      status: PROBLEMS.forbidden.status,
      explanation: AUTHORITY_EXPLANATION,
    })),
  ];
}

const PAGE_STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1c2430;max-width:48rem;margin:2rem auto;padding:0 1.2rem}
a{color:#0b4f9c}code{font-family:ui-monospace,monospace;background:#eef1f5;padding:0 .2rem}
.status{color:#3a4554}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}
`;

/** The problem pages' policy: their one style, by hash; nothing runs. */
export const PROBLEM_PAGE_POLICY = pagePolicy({ styles: [PAGE_STYLE] });

const Page = ({ title, children }: { title: string; children: ComponentChildren }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <title>{`${title} — SIP API`}</title>
      <InlineStyle css={PAGE_STYLE} />
    </head>
    <body>
      <main>{children}</main>
    </body>
  </html>
);

/** The page that lists every problem type. */
export function problemIndexPage(): string {
  return renderPage(
    <Page title="Problem types">
      <h1>Problem types</h1>
      <p>
        Every error is answered as <code>application/problem+json</code> (RFC 9457). Its <code>type</code> is
        one of these; <code>title</code> says it in a sentence and <code>detail</code> says what exactly went
        wrong. See also <a href="docs">the API reference</a>.
      </p>
      <ul>
        {problemTypes().map((p) => (
          <li key={p.type}>
            <a href={`problems/${p.type}`}>
              <code>/problems/{p.type}</code>
            </a>{' '}
            — {p.title} <span class="status">({p.status})</span>
          </li>
        ))}
      </ul>
    </Page>,
  );
}

/** The page of one problem type, or undefined when there is no such type. */
export function problemPage(type: string): string | undefined {
  const problem = problemTypes().find((p) => p.type === type);
  if (!problem) return undefined;
  return renderPage(
    <Page title={problem.title}>
      <p>
        <a href="../problems">All problem types</a>
      </p>
      <h1>{problem.title}</h1>
      <dl>
        <dt>type</dt>
        <dd>
          <code>/problems/{problem.type}</code>
        </dd>
        <dt>status</dt>
        <dd>{problem.status}</dd>
      </dl>
      <p>
        <WithCode text={problem.explanation} />
      </p>
    </Page>,
  );
}
