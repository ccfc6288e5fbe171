/**
 * The workspace's pages, in Swedish, for professionals: Att göra, the plan, the pages around signing in and
 * out, and the accessibility statement. Written with the service's one renderer (escaping by default) and
 * styled by Designsystemet through the one stylesheet; no script, every page complete as HTML.
 */
import type { ComponentChildren } from 'preact';
import type { DueItem } from '../../shared/application/deadlines.ts';
import type { DeadlineKind } from '../../shared/domain/deadlines/deadlines.ts';
import { CATEGORIES, type InformationCategory } from '../../shared/domain/information.ts';
import type { PlanStatus, PlanView } from '../../shared/domain/plan.ts';
import { ScrollRegion } from '../../shared/html/parts.tsx';
import { STATUS } from '../../shared/html/plan-document.tsx';
import { renderPage } from '../../shared/html/render.ts';
import type { Caller } from '../../shared/policy/policy.ts';

/** Who is signed in, and for whom they act: shown on every page. */
export interface Actor {
  name?: string | undefined;
  caller: Caller;
  /** The form token of the session: every form carries it. */
  formToken: string;
}

const dateTime = new Intl.DateTimeFormat('sv-SE', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Stockholm',
});
const dateOnly = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'long', timeZone: 'Europe/Stockholm' });
/** `2027-01-09` → `9 januari 2027`; a timestamp → `9 januari 2027 10:00`, in Stockholm time. */
const swedish = (value: string | undefined) =>
  !value
    ? ''
    : value.length === 10
      ? dateOnly.format(new Date(`${value}T12:00:00Z`))
      : dateTime.format(new Date(value));
const stockholmClock = new Intl.DateTimeFormat('sv-SE', { timeStyle: 'short', timeZone: 'Europe/Stockholm' });
/** A deadline ending at midnight is due by the day before (as the reminders say it); another, at its time. */
const dueBy = (dueAt: string) => {
  const at = new Date(dueAt);
  return stockholmClock.format(at) === '00:00'
    ? dateOnly.format(new Date(at.getTime() - 1))
    : dateTime.format(at);
};

/** What a deadline asks of whoever it is due for. */
const DUE: Record<DeadlineKind, string> = {
  kallelseAfterDischarge: 'Skicka kallelsen efter utskrivningen',
  meetingAfterNeed: 'Håll SIP-mötet',
  startWithoutDelay: 'Starta arbetet: skicka en kallelse',
  invitationResponses: 'Svar på kallelsen saknas',
  followUp: 'Följ upp planen',
  consentExpiry: 'Samtycket upphör',
};

const STATE = { overdue: 'Försenad', due: 'Att göra nu', upcoming: 'Kommande', met: 'Klar' } as const;
const STATE_COLOR = { overdue: 'danger', due: 'warning', upcoming: 'info', met: 'success' } as const;

export function Layout({
  title,
  actor,
  stylesheet,
  children,
}: {
  title: string;
  actor?: Actor | undefined;
  stylesheet: string;
  children: ComponentChildren;
}) {
  return (
    <html lang="sv" data-color-scheme="light">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — SIP`}</title>
        <link rel="stylesheet" href={stylesheet} />
      </head>
      <body>
        <a class="ds-skip-link" href="#innehall">
          Till innehållet
        </a>
        <header class="sip-header">
          <div>
            <nav aria-label="Arbetsytan">
              <a class="ds-link" href="/app/">
                SIP — Att göra
              </a>
              {actor && (
                <>
                  {' · '}
                  <a class="ds-link" href="/app/hitta">
                    Hitta plan
                  </a>
                </>
              )}
            </nav>
            {actor && (
              <>
                <p class="ds-paragraph sip-actor" data-size="sm">
                  {actor.name ?? actor.caller.userId} för {actor.caller.organisationId}
                  {actor.caller.unitId && `, enhet ${actor.caller.unitId}`}
                </p>
                <form method="post" action="/app/sign-out">
                  <input type="hidden" name="formToken" value={actor.formToken} />
                  <button class="ds-button" data-variant="secondary" data-size="sm" type="submit">
                    Logga ut
                  </button>
                </form>
              </>
            )}
          </div>
        </header>
        <main id="innehall" class="sip-main">
          {children}
        </main>
        <footer class="sip-footer">
          <a class="ds-link" href="/app/tillganglighet">
            Tillgänglighetsredogörelse
          </a>
        </footer>
      </body>
    </html>
  );
}

const planLink = (planId: string) => `/app/plans/${planId}`;

/** Att göra: what is due for my organisation, oldest first; then the plans it takes part in. */
export function todoPage(options: {
  actor: Actor;
  stylesheet: string;
  due: DueItem[];
  plans: { planId: string; name: string; status: PlanStatus; followUpDate?: string | undefined }[];
  nextPlans?: string | undefined;
}): string {
  const { actor, due, plans } = options;
  return renderPage(
    <Layout title="Att göra" actor={actor} stylesheet={options.stylesheet}>
      <h1 class="ds-heading" data-size="lg">
        Att göra
      </h1>
      {due.length === 0 ? (
        <p class="ds-paragraph">Inget är försenat eller på väg att bli det i de planer ni ansvarar för.</p>
      ) : (
        <ul class="sip-list">
          {due.map((item) => (
            <li>
              <span class="ds-tag" data-color={STATE_COLOR[item.state]}>
                {STATE[item.state]}
              </span>{' '}
              <a class="ds-link" href={planLink(item.planId)}>
                {DUE[item.kind as DeadlineKind] ?? item.kind}: {item.name}
              </a>{' '}
              — senast {dueBy(item.dueAt)}
            </li>
          ))}
        </ul>
      )}
      <h2 class="ds-heading" data-size="md">
        Planer ni deltar i
      </h2>
      {plans.length === 0 ? (
        <p class="ds-paragraph">Er verksamhet deltar inte i någon plan som ni kan se.</p>
      ) : (
        <ScrollRegion class="sip-table-region" label="Planer ni deltar i">
          <table class="ds-table" data-border>
            <thead>
              <tr>
                <th scope="col">Den enskilde</th>
                <th scope="col">Status</th>
                <th scope="col">Uppföljning</th>
              </tr>
            </thead>
            <tbody>
              {plans.map((plan) => (
                <tr>
                  <td>
                    <a class="ds-link" href={planLink(plan.planId)}>
                      {plan.name}
                    </a>
                  </td>
                  <td>{STATUS[plan.status]}</td>
                  <td>{swedish(plan.followUpDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {options.nextPlans && (
        <p class="ds-paragraph">
          <a class="ds-link" href={`/app/?planer=${encodeURIComponent(options.nextPlans)}`}>
            Fler planer
          </a>
        </p>
      )}
    </Layout>,
  );
}

const Facts = ({ rows }: { rows: [string, ComponentChildren][] }) => (
  <dl class="sip-facts">
    {rows.map(([term, value]) => (
      <>
        <dt>{term}</dt>
        <dd>{value}</dd>
      </>
    ))}
  </dl>
);

/** The plan as a professional reads it, cut to what the consent releases to their organisation. */
export function planPage(options: {
  actor: Actor;
  stylesheet: string;
  plan: PlanView;
  released: ReadonlySet<InformationCategory>;
  due: DueItem[];
  /** The actions the caller may take now, each a link to its form. */
  actions?: { href: string; text: string }[];
  /** What was just saved, said once after a form. */
  saved?: string | undefined;
}): string {
  const { plan, released } = options;
  const content = plan.content ?? {};
  const organisationName = (id: string) =>
    plan.organisations?.find((o) => o.organisationId === id)?.name ?? id;
  const withheld = (['goals', 'interventions', 'situation', 'identity'] as const).filter(
    (c) => !released.has(c),
  );
  return renderPage(
    <Layout title={`SIP för ${plan.individual.name}`} actor={options.actor} stylesheet={options.stylesheet}>
      <p class="ds-paragraph">
        <a class="ds-link" href="/app/">
          Till Att göra
        </a>
      </p>
      {options.saved && (
        <div class="ds-alert" data-color="success" role="status">
          <p class="ds-paragraph">{options.saved}</p>
        </div>
      )}
      <h1 class="ds-heading" data-size="lg">
        SIP för {plan.individual.name}
      </h1>
      <Facts
        rows={[
          ['Status', STATUS[plan.status]],
          ['Version', String(plan.version)],
          ['Sammankallande', plan.convener.name],
          ...(content.leadResponsible
            ? [['Huvudansvarig', content.leadResponsible.name] as [string, string]]
            : []),
          ...(content.followUp
            ? [
                ['Uppföljning', `${swedish(content.followUp.date)}, ${content.followUp.place}`] as [
                  string,
                  string,
                ],
              ]
            : []),
        ]}
      />
      <ul class="sip-list">
        <li>
          <a class="ds-link" href={`/app/plans/${plan.planId}/utskrift`}>
            Utskrift av planen
          </a>
        </li>
        {(options.actions ?? []).map((action) => (
          <li>
            <a class="ds-link" href={action.href}>
              {action.text}
            </a>
          </li>
        ))}
      </ul>
      {withheld.length > 0 && (
        <div class="ds-alert" data-color="info">
          <p class="ds-paragraph">
            Samtycket ger er verksamhet inte del av:{' '}
            {withheld.map((c) => CATEGORIES[c].sv.toLowerCase()).join(', ')}.
          </p>
        </div>
      )}
      {options.due.length > 0 && (
        <section aria-labelledby="tidsgranser">
          <h2 id="tidsgranser" class="ds-heading" data-size="md">
            Tidsgränser
          </h2>
          <ul class="sip-list">
            {options.due.map((item) => (
              <li>
                <span class="ds-tag" data-color={STATE_COLOR[item.state]}>
                  {STATE[item.state]}
                </span>{' '}
                {DUE[item.kind as DeadlineKind] ?? item.kind} — senast {dueBy(item.dueAt)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {released.has('goals') && (
        <section aria-labelledby="mal">
          <h2 id="mal" class="ds-heading" data-size="md">
            Mål
          </h2>
          <p class="ds-paragraph">{plan.longTermGoal ?? 'Målet är inte skrivet ännu.'}</p>
          {plan.subGoals && plan.subGoals.length > 0 && (
            <ul>
              {plan.subGoals.map((goal) => (
                <li>{goal.text}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      {released.has('interventions') && (
        <section aria-labelledby="insatser">
          <h2 id="insatser" class="ds-heading" data-size="md">
            Vem gör vad och när
          </h2>
          {(content.interventions ?? []).length === 0 ? (
            <p class="ds-paragraph">Inga insatser är planerade ännu.</p>
          ) : (
            <ScrollRegion class="sip-table-region" label="Vem gör vad och när">
              <table class="ds-table" data-border>
                <thead>
                  <tr>
                    <th scope="col">Vad</th>
                    <th scope="col">Ansvarar</th>
                    <th scope="col">Utförs av</th>
                    <th scope="col">När</th>
                    <th scope="col">Hur ofta</th>
                  </tr>
                </thead>
                <tbody>
                  {(content.interventions ?? []).map((i) => (
                    <tr>
                      <td>{i.description}</td>
                      <td>{organisationName(i.responsibleOrganisationId)}</td>
                      <td>{i.performer}</td>
                      <td>
                        {swedish(i.startDate)}
                        {i.endDate && ` – ${swedish(i.endDate)}`}
                      </td>
                      <td>{i.frequency}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
          <h3 class="ds-heading" data-size="sm">
            Samtycken
          </h3>
          {(plan.consents ?? []).length === 0 ? (
            <p class="ds-paragraph">Inget samtycke är registrerat.</p>
          ) : (
            <ul>
              {(plan.consents ?? []).map((consent) => (
                <li>
                  {consent.kind === 'informationSharing' ? 'Informationsöverföring' : 'Att upprätta planen'},
                  till {consent.recipients.map(organisationName).join(', ')} — gäller till{' '}
                  {swedish(consent.expiresAt)}
                  {consent.withdrawnAt && ` (återkallat ${swedish(consent.withdrawnAt)})`}
                </li>
              ))}
            </ul>
          )}
          <h3 class="ds-heading" data-size="sm">
            De som är med
          </h3>
          <ul>
            {(plan.organisations ?? []).map((o) => (
              <li>
                {o.name} ({o.principalName})
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>,
  );
}

/** A page of its own for a plain message: signed out, not found, the sign-in failed. */
export function messagePage(options: {
  title: string;
  text: string;
  stylesheet: string;
  actor?: Actor | undefined;
  link?: { href: string; text: string } | undefined;
}): string {
  return renderPage(
    <Layout title={options.title} actor={options.actor} stylesheet={options.stylesheet}>
      <h1 class="ds-heading" data-size="lg">
        {options.title}
      </h1>
      <p class="ds-paragraph">{options.text}</p>
      {options.link && (
        <p class="ds-paragraph">
          <a class="ds-link" href={options.link.href}>
            {options.link.text}
          </a>
        </p>
      )}
    </Layout>,
  );
}

/** Tillgänglighetsredogörelse: what the law on accessible digital public services asks the service to say. */
export function accessibilityPage(options: { stylesheet: string; actor?: Actor | undefined }): string {
  return renderPage(
    <Layout title="Tillgänglighetsredogörelse" actor={options.actor} stylesheet={options.stylesheet}>
      <h1 class="ds-heading" data-size="lg">
        Tillgänglighetsredogörelse
      </h1>
      <p class="ds-paragraph">
        Arbetsytan för samordnade individuella planer ska gå att använda för alla. Den följer kraven i WCAG
        2.1 på nivå AA, som lagen om tillgänglighet till digital offentlig service ställer.
      </p>
      <h2 class="ds-heading" data-size="md">
        Hur vi testar
      </h2>
      <p class="ds-paragraph">
        Varje sida granskas automatiskt med axe-core i en riktig webbläsare vid varje ändring av tjänsten, och
        huvudflödet prövas med enbart tangentbord. Sidorna fungerar utan JavaScript och på en skärm som är 320
        pixlar bred.
      </p>
      <h2 class="ds-heading" data-size="md">
        Kända brister
      </h2>
      <p class="ds-paragraph">
        Arbetsytan visar planerna och vad som ska göras, och samtycke och avslut registreras här. Kallelse,
        upprättande och uppföljning görs ännu i journalsystemet eller genom tjänstens API.
      </p>
      <h2 class="ds-heading" data-size="md">
        Rapportera en brist
      </h2>
      <p class="ds-paragraph">
        Kontakta förvaltningen av tjänsten i din region om något inte fungerar för dig. Du kan också anmäla
        till Myndigheten för digital förvaltning (Digg), som granskar att lagen följs.
      </p>
    </Layout>,
  );
}

/** What each audited request did, in Swedish; any other is shown by its operation's name. */
const ACTIONS: Record<string, string> = {
  createPlan: 'Skapade planen',
  getPlan: 'Läste planen',
  patchPlan: 'Ändrade planen',
  listRevisions: 'Läste planens historik',
  planDocument: 'Läste utskriften',
  planDeadlines: 'Läste tidsgränserna',
  planAuditLog: 'Läste loggen',
  giveConsent: 'Registrerade samtycke',
  withdrawConsent: 'Registrerade återkallat samtycke',
  refuseConsent: 'Registrerade att samtycke inte lämnades',
  sendInvitation: 'Skickade kallelse',
  rescheduleInvitation: 'Ändrade tid för mötet',
  respondToInvitation: 'Svarade på kallelse',
  establish: 'Upprättade planen',
  recordFollowUp: 'Registrerade uppföljning',
  close: 'Avslutade planen',
  restart: 'Startade om planen',
  refuseRequest: 'Avslog begäran',
  recordDischargeEvent: 'Registrerade utskrivningshändelse',
};
const OUTCOMES = {
  allowed: 'Tillåtet',
  denied: 'Nekat',
  rejected: 'Avvisat',
  failed: 'Misslyckades',
} as const;

/** Loggen: who read or changed the plan, and when — the extract the individual may ask for. */
export function auditPage(options: {
  actor: Actor;
  stylesheet: string;
  plan: PlanView;
  entries: {
    at: string;
    userId: string;
    organisationId: string;
    unitId?: string | undefined;
    action: string;
    outcome: keyof typeof OUTCOMES;
  }[];
  next?: string | undefined;
}): string {
  const { plan } = options;
  return renderPage(
    <Layout title={`Loggen — ${plan.individual.name}`} actor={options.actor} stylesheet={options.stylesheet}>
      <p class="ds-paragraph">
        <a class="ds-link" href={`/app/plans/${plan.planId}`}>
          Tillbaka till planen
        </a>
      </p>
      <h1 class="ds-heading" data-size="lg">
        Loggen för {plan.individual.name}s plan
      </h1>
      <p class="ds-paragraph">
        Varje gång någon läser eller ändrar planen, eller försöker, äldst först. Den enskilde kan begära det
        här utdraget.
      </p>
      <ScrollRegion class="sip-table-region" label="Loggen">
        <table class="ds-table" data-border>
          <thead>
            <tr>
              <th scope="col">När</th>
              <th scope="col">Vem</th>
              <th scope="col">Verksamhet</th>
              <th scope="col">Vad</th>
              <th scope="col">Utfall</th>
            </tr>
          </thead>
          <tbody>
            {options.entries.map((entry) => (
              <tr>
                <td>{swedish(entry.at)}</td>
                <td>{entry.userId}</td>
                <td>
                  {entry.organisationId}
                  {entry.unitId && `, enhet ${entry.unitId}`}
                </td>
                <td>{ACTIONS[entry.action] ?? entry.action}</td>
                <td>{OUTCOMES[entry.outcome]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {options.next && (
        <p class="ds-paragraph">
          <a
            class="ds-link"
            href={`/app/plans/${plan.planId}/logg?efter=${encodeURIComponent(options.next)}`}
          >
            Nästa sida
          </a>
        </p>
      )}
    </Layout>,
  );
}
