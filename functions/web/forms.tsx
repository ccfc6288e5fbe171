/**
 * The workspace's forms, after GOV.UK Frontend's patterns: an error summary at the top linking to each field,
 * each error beside its field in the rule's Swedish, what the user typed kept. Every form carries the
 * session's form token (CSRF), an Idempotency-Key made when it was rendered (a form sent twice writes once),
 * and the ETag of the plan it was rendered from (sent as If-Match: another user's change in between is shown,
 * never overwritten).
 */
import type { ComponentChildren } from 'preact';
import type { PlanStatus, PlanView } from '../../shared/domain/plan.ts';
import { STATUS } from '../../shared/html/plan-document.tsx';
import { renderPage } from '../../shared/html/render.ts';
import type { CommandForm, Fields } from './command-forms.tsx';
import { type Actor, Layout } from './pages.tsx';

/** What the form was rendered with: its hidden fields. */
export interface FormState {
  formToken: string;
  idempotencyKey: string;
  etag: string;
}

/** A refusal as the form shows it: the summary's lines, and by field the text beside it. */
export interface FormErrors {
  summary: { field?: string | undefined; text: string }[];
  byField: Record<string, string>;
}

export const NO_ERRORS: FormErrors = { summary: [], byField: {} };

const Hidden = ({ state }: { state: FormState }) => (
  <>
    <input type="hidden" name="formToken" value={state.formToken} />
    <input type="hidden" name="idempotencyKey" value={state.idempotencyKey} />
    <input type="hidden" name="etag" value={state.etag} />
  </>
);

/** The error summary: first on the page, each line a link to its field. */
export const ErrorSummary = ({ errors }: { errors: FormErrors }) =>
  errors.summary.length === 0 ? null : (
    <div class="ds-error-summary" role="alert" aria-labelledby="fel-rubrik">
      <h2 id="fel-rubrik" class="ds-heading" data-size="xs">
        Det här behöver rättas
      </h2>
      <ul class="ds-list">
        {errors.summary.map((line) => (
          <li>{line.field ? <a href={`#${line.field}`}>{line.text}</a> : line.text}</li>
        ))}
      </ul>
    </div>
  );

export const Message = ({ id, text }: { id: string; text: string | undefined }) =>
  text ? (
    <p class="ds-validation-message" data-color="danger" id={`${id}-fel`}>
      {text}
    </p>
  ) : null;

export function Choices({
  name,
  legend,
  type,
  options,
  checked,
  error,
  hint,
}: {
  name: string;
  legend: string;
  type: 'radio' | 'checkbox';
  options: [string, string][];
  checked: ReadonlySet<string>;
  error?: string | undefined;
  hint?: ComponentChildren;
}) {
  return (
    <fieldset class="ds-fieldset" id={name} aria-describedby={error ? `${name}-fel` : undefined}>
      <legend class="ds-label">{legend}</legend>
      {hint && (
        <p class="ds-paragraph" data-size="sm">
          {hint}
        </p>
      )}
      <Message id={name} text={error} />
      {options.map(([value, label]) => (
        <div class="ds-field">
          <input
            class="ds-input"
            type={type}
            name={name}
            value={value}
            id={`${name}-${value}`}
            checked={checked.has(value)}
            aria-invalid={error ? 'true' : undefined}
          />
          <label class="ds-label" data-weight="regular" for={`${name}-${value}`}>
            {label}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** A process form: its fields, with the summary of what to correct and, after a collision, the new version. */
export function commandFormPage(options: {
  actor: Actor;
  stylesheet: string;
  form: CommandForm;
  plan: PlanView;
  state: FormState;
  fields: Fields;
  errors: FormErrors;
  collision?: boolean;
}): string {
  const { form, plan, errors } = options;
  const title = `${form.title} — ${plan.individual.name}`;
  return renderPage(
    <Layout
      title={errors.summary.length > 0 ? `Fel: ${title}` : title}
      actor={options.actor}
      stylesheet={options.stylesheet}
    >
      <p class="ds-paragraph">
        <a class="ds-link" href={`/app/plans/${plan.planId}`}>
          Tillbaka till planen
        </a>
      </p>
      <ErrorSummary errors={errors} />
      <h1 class="ds-heading" data-size="lg">
        {form.title}
      </h1>
      {options.collision && (
        <div class="ds-alert" data-color="warning">
          <p class="ds-paragraph">
            Planen har ändrats sedan du öppnade formuläret (den är nu version {plan.version}). Det du skrev
            finns kvar: se över det och spara igen.
          </p>
        </div>
      )}
      <form method="post" action={`/app/plans/${plan.planId}/${form.slug}`} novalidate>
        <Hidden state={options.state} />
        <form.Fields plan={plan} fields={options.fields} errors={errors} />
        <p>
          <button class="ds-button" type="submit">
            {form.submit}
          </button>
        </p>
      </form>
    </Layout>,
  );
}

/** Before what cannot be undone: the form's fields carried on, and the question asked plainly. */
export function confirmPage(options: {
  actor: Actor;
  stylesheet: string;
  form: CommandForm;
  plan: PlanView;
  state: FormState;
  fields: Fields;
}): string {
  const { form, plan } = options;
  const question = `${form.title}? ${plan.individual.name}`;
  return renderPage(
    <Layout title={question} actor={options.actor} stylesheet={options.stylesheet}>
      <h1 class="ds-heading" data-size="lg">
        Vill du {form.title.toLowerCase()} för {plan.individual.name}?
      </h1>
      <div class="ds-alert" data-color="warning">
        <p class="ds-paragraph">{form.confirm}</p>
      </div>
      <form method="post" action={`/app/plans/${plan.planId}/${form.slug}`}>
        <Hidden state={options.state} />
        {Object.entries(options.fields).flatMap(([name, value]) =>
          (Array.isArray(value) ? value : [value]).map((v) => <input type="hidden" name={name} value={v} />),
        )}
        <input type="hidden" name="confirmed" value="yes" />
        <p>
          <button class="ds-button" data-color="danger" type="submit">
            Ja, {form.title.toLowerCase()}
          </button>
        </p>
      </form>
      <p class="ds-paragraph">
        <a class="ds-link" href={`/app/plans/${plan.planId}`}>
          Nej, tillbaka till planen
        </a>
      </p>
    </Layout>,
  );
}

/** Hitta plan: the plans of one individual, found by personal identity number where the consent gives it. */
export function findPage(options: {
  actor: Actor;
  stylesheet: string;
  value: string;
  error?: string | undefined;
  results?: { planId: string; name: string; status: PlanStatus }[] | undefined;
}): string {
  const { error, results } = options;
  return renderPage(
    <Layout
      title={error ? 'Fel: Hitta plan' : 'Hitta plan'}
      actor={options.actor}
      stylesheet={options.stylesheet}
    >
      <ErrorSummary
        errors={{ summary: error ? [{ field: 'personnummer', text: error }] : [], byField: {} }}
      />
      <h1 class="ds-heading" data-size="lg">
        Hitta plan
      </h1>
      <p class="ds-paragraph">
        Planer för en person som er verksamhet deltar i, där samtycket ger er personnumret. Numret sparas inte
        och syns inte i någon adress.
      </p>
      <form method="post" action="/app/hitta">
        <input type="hidden" name="formToken" value={options.actor.formToken} />
        <div class="ds-field">
          <label class="ds-label" for="personnummer">
            Personnummer eller samordningsnummer
          </label>
          <p class="ds-paragraph" data-size="sm" id="personnummer-hjalp">
            12 siffror, till exempel 19420315-2386.
          </p>
          <Message id="personnummer" text={error} />
          <input
            class="ds-input"
            type="text"
            inputmode="numeric"
            autocomplete="off"
            id="personnummer"
            name="personnummer"
            value={options.value}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={`personnummer-hjalp${error ? ' personnummer-fel' : ''}`}
          />
        </div>
        <p>
          <button class="ds-button" type="submit">
            Sök
          </button>
        </p>
      </form>
      {results && (
        <section aria-labelledby="traffar">
          <h2 id="traffar" class="ds-heading" data-size="md">
            {results.length === 0
              ? 'Ingen plan hittades'
              : `${results.length} ${results.length === 1 ? 'plan' : 'planer'}`}
          </h2>
          {results.length === 0 ? (
            <p class="ds-paragraph">
              Ingen plan som er verksamhet deltar i och där samtycket ger er personnumret.
            </p>
          ) : (
            <ul class="sip-list">
              {results.map((plan) => (
                <li>
                  <a class="ds-link" href={`/app/plans/${plan.planId}`}>
                    {plan.name}
                  </a>{' '}
                  — {STATUS[plan.status]}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Layout>,
  );
}
