/**
 * The workspace's forms, after GOV.UK Frontend's patterns: an error summary at the top linking to each field,
 * each error beside its field in the rule's Swedish, what the user typed kept. Every form carries the
 * session's form token (CSRF), an Idempotency-Key made when it was rendered (a form sent twice writes once),
 * and the ETag of the plan it was rendered from (sent as If-Match: another user's change in between is shown,
 * never overwritten).
 */
import type { ComponentChildren } from 'preact';
import { CATEGORIES, INFORMATION_CATEGORIES } from '../../shared/domain/information.ts';
import type { PlanView } from '../../shared/domain/plan.ts';
import { renderPage } from '../../shared/html/render.ts';
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

const Message = ({ id, text }: { id: string; text: string | undefined }) =>
  text ? (
    <p class="ds-validation-message" data-color="danger" id={`${id}-fel`}>
      {text}
    </p>
  ) : null;

function Choices({
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

/** The fields of the consent form as the user left them (or as they start). */
export interface ConsentFields {
  kind: string;
  form: string;
  recipients: string[];
  categories: string[];
  givenAt: string;
  documentation: string;
}

export const CONSENT_FIELDS = [
  'kind',
  'form',
  'recipients',
  'categories',
  'givenAt',
  'documentation',
] as const;

/** Registrera samtycke: the individual's consent, to share information or to establish the plan. */
export function consentFormPage(options: {
  actor: Actor;
  stylesheet: string;
  plan: PlanView;
  state: FormState;
  fields: ConsentFields;
  errors: FormErrors;
  collision?: boolean;
}): string {
  const { plan, fields, errors } = options;
  const title = `Registrera samtycke — ${plan.individual.name}`;
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
        Registrera samtycke
      </h1>
      {options.collision && (
        <div class="ds-alert" data-color="warning">
          <p class="ds-paragraph">
            Planen har ändrats sedan du öppnade formuläret (den är nu version {plan.version}). Det du skrev
            finns kvar: se över det och spara igen.
          </p>
        </div>
      )}
      <p class="ds-paragraph">
        För {plan.individual.name}. Ett samtycke är aldrig allmänt: det anger vilka verksamheter som får ta
        del av vilka uppgifter, och gäller som längst ett år.
      </p>
      <form method="post" action={`/app/plans/${plan.planId}/samtycke`} novalidate>
        <Hidden state={options.state} />
        <Choices
          name="kind"
          legend="Vad gäller samtycket?"
          type="radio"
          options={[
            ['informationSharing', 'Att verksamheterna får dela uppgifter med varandra'],
            ['planEstablishment', 'Att upprätta planen'],
          ]}
          checked={new Set([fields.kind])}
          error={errors.byField.kind}
        />
        <Choices
          name="form"
          legend="Hur lämnades det?"
          type="radio"
          options={[
            ['written', 'Skriftligt'],
            ['oral', 'Muntligt'],
            ['presumed', 'Antaget'],
          ]}
          checked={new Set([fields.form])}
          error={errors.byField.form}
        />
        <Choices
          name="recipients"
          legend="Vilka verksamheter omfattar det?"
          type="checkbox"
          options={(plan.organisations ?? []).map((o) => [o.organisationId, o.name])}
          checked={new Set(fields.recipients)}
          error={errors.byField.recipients}
        />
        <Choices
          name="categories"
          legend="Vilka uppgifter får de ta del av?"
          hint="Gäller samtycket att dela uppgifter. Ett samtycke att upprätta planen omfattar inga uppgifter."
          type="checkbox"
          options={INFORMATION_CATEGORIES.map((c) => [c, CATEGORIES[c].sv])}
          checked={new Set(fields.categories)}
          error={errors.byField.categories}
        />
        <div class="ds-field">
          <label class="ds-label" for="givenAt">
            När lämnades det?
          </label>
          <Message id="givenAt" text={errors.byField.givenAt} />
          <input
            class="ds-input"
            type="datetime-local"
            id="givenAt"
            name="givenAt"
            value={fields.givenAt}
            aria-invalid={errors.byField.givenAt ? 'true' : undefined}
            aria-describedby={errors.byField.givenAt ? 'givenAt-fel' : undefined}
          />
        </div>
        <div class="ds-field">
          <label class="ds-label" for="documentation">
            Dokumentation
          </label>
          <p class="ds-paragraph" data-size="sm" id="documentation-hjalp">
            Hur och när ett muntligt eller antaget samtycke lämnades.
          </p>
          <Message id="documentation" text={errors.byField.documentation} />
          <textarea
            class="ds-input"
            id="documentation"
            name="documentation"
            rows={4}
            aria-invalid={errors.byField.documentation ? 'true' : undefined}
            aria-describedby={`documentation-hjalp${errors.byField.documentation ? ' documentation-fel' : ''}`}
          >
            {fields.documentation}
          </textarea>
        </div>
        <p>
          <button class="ds-button" type="submit">
            Spara samtycket
          </button>
        </p>
      </form>
    </Layout>,
  );
}
