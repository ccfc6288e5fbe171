/**
 * The forms of the process, each a description the one form route runs (`handler.ts`): which command it sends,
 * its fields as the user left them, how they become the command's input, which field a refusal is about, and
 * the fields themselves. A form whose command cannot be undone asks to be confirmed first.
 */
import type { VNode } from 'preact';
import type { CommandName } from '../../shared/domain/commands/lifecycle.ts';
import { CATEGORIES, INFORMATION_CATEGORIES } from '../../shared/domain/information.ts';
import type { PlanView } from '../../shared/domain/plan.ts';
import { fromStockholmLocal, toStockholmTimestamp } from '../../shared/domain/time.ts';
import type { Action } from '../../shared/policy/policy.ts';
import { Choices, type FormErrors, Message } from './forms.tsx';

export type Fields = Record<string, string | string[]>;

export interface CommandForm {
  /** The path under the plan: `/app/plans/<id>/<slug>`. */
  slug: string;
  command: CommandName;
  action: Action;
  /** The page's heading, and the link's text on the plan page. */
  title: string;
  /** Said on the plan page after a save. */
  saved: string;
  /** The button's text. */
  submit: string;
  /** Set for a command that cannot be undone: asked before it runs. */
  confirm?: string;
  /** What the form starts with. */
  initial(plan: PlanView, now: Date): Fields;
  /** The command's input from the fields. */
  input(fields: Fields): Record<string, unknown>;
  /** The field a refusal is about: by the pointer into the command's body, or by its problem type. */
  fieldOf(pointer: string | undefined, type: string): string | undefined;
  /** What each field asks for, when it is left empty or not as the command takes it. */
  fieldTexts: Record<string, string>;
  Fields(props: { plan: PlanView; fields: Fields; errors: FormErrors }): VNode;
}

const one = (fields: Fields, name: string) => {
  const value = fields[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
};
const many = (fields: Fields, name: string) => {
  const value = fields[name];
  return Array.isArray(value) ? value : value ? [value] : [];
};

/** A `datetime-local` value as the input shows it: Stockholm wall-clock time to the minute. */
const localNow = (now: Date) => toStockholmTimestamp(now).slice(0, 16);
/** Stockholm wall-clock time (`2026-11-08T15:00`) as a timestamp; anything else is passed on to be refused. */
const instantOf = (local: string) => {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!parts) return local;
  const [year, month, day, hour, minute] = parts.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return toStockholmTimestamp(fromStockholmLocal(year, month, day, hour, minute));
};

/** A field of the body as the form names it, when the pointer names one of `names`. */
const fieldByPointer = (names: readonly string[], pointer: string | undefined) => {
  const field = pointer?.split('/')[1];
  return field && names.includes(field) ? field : undefined;
};

const TextField = ({
  name,
  label,
  hint,
  value,
  error,
  type = 'text',
  rows,
}: {
  name: string;
  label: string;
  hint?: string;
  value: string;
  error?: string | undefined;
  type?: 'text' | 'datetime-local';
  rows?: number;
}) => {
  const describedBy =
    [hint && `${name}-hjalp`, error && `${name}-fel`].filter(Boolean).join(' ') || undefined;
  const common = {
    class: 'ds-input',
    id: name,
    name,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div class="ds-field">
      <label class="ds-label" for={name}>
        {label}
      </label>
      {hint && (
        <p class="ds-paragraph" data-size="sm" id={`${name}-hjalp`}>
          {hint}
        </p>
      )}
      <Message id={name} text={error} />
      {rows ? (
        <textarea {...common} rows={rows}>
          {value}
        </textarea>
      ) : type === 'datetime-local' ? (
        <input {...common} type="datetime-local" value={value} />
      ) : (
        <input {...common} type="text" value={value} />
      )}
    </div>
  );
};

const CONSENT_FIELDS = ['kind', 'form', 'recipients', 'categories', 'givenAt', 'documentation'];

/** Registrera samtycke: the individual's consent, to share information or to establish the plan. */
export const consentForm: CommandForm = {
  slug: 'samtycke',
  command: 'giveConsent',
  action: 'plan.update',
  title: 'Registrera samtycke',
  saved: 'Samtycket är registrerat.',
  submit: 'Spara samtycket',
  initial: (_plan, now) => ({
    kind: 'informationSharing',
    form: 'written',
    recipients: [],
    categories: [],
    givenAt: localNow(now),
    documentation: '',
  }),
  input(fields) {
    const sharing = one(fields, 'kind') === 'informationSharing';
    const categories = many(fields, 'categories');
    const documentation = one(fields, 'documentation');
    return {
      kind: one(fields, 'kind'),
      form: one(fields, 'form'),
      givenBy: { kind: 'individual' },
      recipients: many(fields, 'recipients'),
      ...(sharing && categories.length > 0 && { categories }),
      givenAt: instantOf(one(fields, 'givenAt')),
      ...(documentation.trim() && { documentation }),
    };
  },
  fieldOf: (pointer, type) =>
    fieldByPointer(CONSENT_FIELDS, pointer) ??
    (
      {
        '/problems/consent-not-documented': 'documentation',
        '/problems/consent-longer-than-a-year': 'givenAt',
        '/problems/consent-in-future': 'givenAt',
        '/problems/representative-may-not-consent': 'kind',
      } as Record<string, string>
    )[type],
  fieldTexts: {
    kind: 'Välj vad samtycket gäller.',
    form: 'Välj hur samtycket lämnades.',
    recipients: 'Välj minst en verksamhet som samtycket omfattar.',
    categories: 'Välj vilka uppgifter verksamheterna får ta del av.',
    givenAt: 'Ange när samtycket lämnades, som datum och klockslag.',
    documentation: 'Skriv hur och när samtycket lämnades.',
  },
  Fields: ({ plan, fields, errors }) => (
    <>
      <p class="ds-paragraph">
        För {plan.individual.name}. Ett samtycke är aldrig allmänt: det anger vilka verksamheter som får ta
        del av vilka uppgifter, och gäller som längst ett år.
      </p>
      <Choices
        name="kind"
        legend="Vad gäller samtycket?"
        type="radio"
        options={[
          ['informationSharing', 'Att verksamheterna får dela uppgifter med varandra'],
          ['planEstablishment', 'Att upprätta planen'],
        ]}
        checked={new Set([one(fields, 'kind')])}
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
        checked={new Set([one(fields, 'form')])}
        error={errors.byField.form}
      />
      <Choices
        name="recipients"
        legend="Vilka verksamheter omfattar det?"
        type="checkbox"
        options={(plan.organisations ?? []).map((o) => [o.organisationId, o.name])}
        checked={new Set(many(fields, 'recipients'))}
        error={errors.byField.recipients}
      />
      <Choices
        name="categories"
        legend="Vilka uppgifter får de ta del av?"
        hint="Gäller samtycket att dela uppgifter. Ett samtycke att upprätta planen omfattar inga uppgifter."
        type="checkbox"
        options={INFORMATION_CATEGORIES.map((c) => [c, CATEGORIES[c].sv])}
        checked={new Set(many(fields, 'categories'))}
        error={errors.byField.categories}
      />
      <TextField
        name="givenAt"
        label="När lämnades det?"
        type="datetime-local"
        value={one(fields, 'givenAt')}
        error={errors.byField.givenAt}
      />
      <TextField
        name="documentation"
        label="Dokumentation"
        hint="Hur och när ett muntligt eller antaget samtycke lämnades."
        rows={4}
        value={one(fields, 'documentation')}
        error={errors.byField.documentation}
      />
    </>
  ),
};

const CLOSURE_FIELDS = ['reason', 'reasonText', 'informed', 'whereToTurn', 'individualToldAt'];
const REASONS: [string, string][] = [
  ['needsMet', 'Behoven är tillgodosedda'],
  ['noNewNeedsExpected', 'Inga nya behov väntas'],
  ['other', 'Annat skäl'],
];

/** Avsluta planen: why it ends, who was told, and where the individual can turn; confirmed first. */
export const closureForm: CommandForm = {
  slug: 'avsluta',
  command: 'close',
  action: 'plan.close',
  title: 'Avsluta planen',
  saved: 'Planen är avslutad. Alla verksamheter i planen får veta det.',
  submit: 'Avsluta planen',
  confirm:
    'När planen är avslutad kan den inte ändras eller öppnas igen; ett nytt behov blir en ny plan. Alla verksamheter i planen får veta att den inte längre gäller.',
  initial: () => ({ reason: '', reasonText: '', informed: '', whereToTurn: '', individualToldAt: '' }),
  input(fields) {
    const reasonText = one(fields, 'reasonText');
    const told = one(fields, 'individualToldAt');
    return {
      reason: one(fields, 'reason'),
      ...(reasonText.trim() && { reasonText }),
      informed: one(fields, 'informed')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
      whereToTurn: one(fields, 'whereToTurn'),
      ...(told && { individualToldAt: instantOf(told) }),
    };
  },
  fieldOf: (pointer) => fieldByPointer(CLOSURE_FIELDS, pointer),
  fieldTexts: {
    reason: 'Välj varför planen avslutas.',
    reasonText: 'Skriv varför planen avslutas.',
    informed: 'Skriv vem som har fått veta att planen avslutas, en per rad.',
    whereToTurn: 'Skriv vart den enskilde kan vända sig om behovet kommer tillbaka.',
    individualToldAt:
      'Ange när den enskilde fick veta, som datum och klockslag. Det kan inte ligga i framtiden.',
  },
  Fields: ({ fields, errors }) => (
    <>
      <Choices
        name="reason"
        legend="Varför avslutas planen?"
        type="radio"
        options={REASONS}
        checked={new Set([one(fields, 'reason')])}
        error={errors.byField.reason}
      />
      <TextField
        name="reasonText"
        label="Skälet, om det är ett annat"
        value={one(fields, 'reasonText')}
        error={errors.byField.reasonText}
      />
      <TextField
        name="informed"
        label="Vem har fått veta?"
        hint="Den enskilde, närstående eller andra ni har berättat för, en per rad."
        rows={3}
        value={one(fields, 'informed')}
        error={errors.byField.informed}
      />
      <TextField
        name="whereToTurn"
        label="Vart kan den enskilde vända sig om behovet kommer tillbaka?"
        rows={3}
        value={one(fields, 'whereToTurn')}
        error={errors.byField.whereToTurn}
      />
      <TextField
        name="individualToldAt"
        label="När fick den enskilde veta? (om det har skett)"
        type="datetime-local"
        value={one(fields, 'individualToldAt')}
        error={errors.byField.individualToldAt}
      />
    </>
  ),
};

export const COMMAND_FORMS: readonly CommandForm[] = [consentForm, closureForm];
