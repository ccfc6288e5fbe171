/**
 * The workspace's forms, after GOV.UK Frontend's patterns: an error summary at the top linking to each field,
 * each error beside its field in the rule's Swedish, what the user typed kept. Every form carries the
 * session's form token (CSRF), an Idempotency-Key made when it was rendered (a form sent twice writes once),
 * and the ETag of the plan it was rendered from (sent as If-Match: another user's change in between is shown,
 * never overwritten).
 */
import type { ComponentChildren } from 'preact';
import type { PlanView } from '../../shared/domain/plan.ts';
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
