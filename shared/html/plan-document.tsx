/**
 * The plan as the document its participants and the individual get: Swedish, written to the individual
 * ("Elsas plan"), print-ready, one self-contained page (its style inline, allowed by hash). Written with the
 * service's one renderer (`shared/html/render.ts`), so everything from the record is escaped; the page has
 * no script.
 */
import type { ComponentChildren } from 'preact';
import { CATEGORIES, INFORMATION_CATEGORIES, type InformationCategory } from '../domain/information.ts';
import type { PersonalIdentity } from '../domain/personal-identity.ts';
import type { Plan, PlanView } from '../domain/plan.ts';
import { pagePolicy } from '../http/security.ts';
import { InlineStyle, ScrollRegion } from './parts.tsx';
import { renderPage } from './render.ts';

const DOCUMENT_STYLE = `
body{font:16px/1.55 Georgia,"Times New Roman",serif;color:#1b1b1b;max-width:48rem;margin:2rem auto;padding:0 1.2rem;overflow-wrap:break-word}
header{border-bottom:3px solid #12355b;margin-bottom:1.5rem}h1{font-size:2rem;margin:.2rem 0}
.meta{color:#555;font-size:.9rem}h2{font-size:1.2rem;color:#12355b;margin:1.6rem 0 .4rem}
.goal{font-size:1.25rem;font-style:italic}.next{font-size:1.15rem;font-weight:bold}.empty{color:#595959}
.table{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #767676;padding:.35rem;text-align:left;vertical-align:top}
th{background:#eef2f7}.closed{border:2px solid #12355b;padding:.2rem 1rem}
:focus-visible{outline:3px solid #12355b;outline-offset:2px}
/* On a narrow screen the table scrolls in its own focusable region; on paper (A4, with margins a printer can
   hold and a binder can punch) it takes the page's width and wraps even long words, so nothing is cut. */
@page{size:A4;margin:20mm 18mm 20mm 22mm}
@media print{body{margin:0;max-width:none;padding:0;font-size:11pt}header{border-color:#000}h2{color:#000;break-after:avoid}
.table{overflow:visible}table{table-layout:fixed;font-size:9pt}th,td{overflow-wrap:anywhere}tr{break-inside:avoid}th{background:#eee}}
`;

/** The document's policy: its one style, by hash; nothing runs in it, nothing loads. */
export const DOCUMENT_POLICY = pagePolicy({ styles: [DOCUMENT_STYLE] });

let dateFormat: Intl.DateTimeFormat | undefined;
/** `2027-01-09` or a timestamp → `9 januari 2027`, in Stockholm. */
const swedishDate = (value: string | undefined) => {
  if (!value) return '';
  dateFormat ??= new Intl.DateTimeFormat('sv-SE', { dateStyle: 'long', timeZone: 'Europe/Stockholm' });
  return dateFormat.format(new Date(value.length === 10 ? `${value}T12:00:00Z` : value));
};

/** Swedish genitive of a first name: "Elsa" → "Elsas", "Lars" → "Lars". */
const genitive = (name: string) => (/[sxz]$/i.test(name) ? name : `${name}s`);

/** Each status in Swedish, as the document and the workspace's pages say it. */
export const STATUS: Record<Plan['status'], string> = {
  initiated: 'Under förberedelse',
  invited: 'Kallelse skickad',
  established: 'Gällande plan',
  closed: 'Avslutad',
  consentRefused: 'Inget samtycke',
  requestRefused: 'Begäran avslagen',
  notNeeded: 'SIP behövs inte',
};

/** `Personnummer 19870312-2383`: the number as it is written, with its kind. */
const identityLine = (identity: PersonalIdentity) => {
  const label = {
    personnummer: 'Personnummer',
    samordningsnummer: 'Samordningsnummer',
    reservnummer: 'Reservnummer',
  };
  const written = /^\d{12}$/.test(identity.value)
    ? `${identity.value.slice(0, 8)}-${identity.value.slice(8)}`
    : identity.value;
  return `${label[identity.type]} ${written}`;
};

/** A list, or the `empty` sentence when there is nothing to list (nothing at all when that is empty too). */
const List = ({ items, empty = '' }: { items: string[] | undefined; empty?: string }) => {
  if (items && items.length > 0)
    return (
      <ul>
        {items.map((item) => (
          <li>{item}</li>
        ))}
      </ul>
    );
  return empty ? <p class="empty">{empty}</p> : null;
};

const Section = ({
  title,
  class: className,
  children,
}: {
  title: string;
  class?: string;
  children: ComponentChildren;
}) => (
  <section class={className}>
    <h2>{title}</h2>
    {children}
  </section>
);

type Person = {
  name: string;
  email?: string | undefined;
  mobile?: string | undefined;
  phone?: string | undefined;
};
const contact = (person: Person) =>
  [person.name, person.phone, person.mobile, person.email].filter(Boolean).join(' · ');

const COLUMNS = ['Vad', 'Ansvarar', 'Utförs av', 'När', 'Hur ofta', 'Var', 'Mål'];

/**
 * The document of `plan` as one reader sees it (`released`: the categories its consent releases). A
 * withheld part is left out with its heading — never shown as "nothing written yet" — and the page says
 * which categories it shows.
 */
export function renderPlanDocument(plan: PlanView, released: ReadonlySet<InformationCategory>): string {
  const shows = (category: InformationCategory) => released.has(category);
  const firstName = plan.individual.name.split(/\s+/)[0] ?? plan.individual.name;
  const title = `${genitive(firstName)} plan`;
  const content = plan.content ?? {};
  const organisationName = (id: string) =>
    plan.organisations?.find((o) => o.organisationId === id)?.name ??
    (content.leadResponsible?.organisationId === id ? content.leadResponsible.name : id);
  const lead = content.leadResponsible;
  // A child's guardians take part unless the young person objects; the page says which do.
  const guardians = (plan.representatives ?? []).filter((r) => r.kind === 'guardian');
  const interventions = content.interventions ?? [];
  const withheld = INFORMATION_CATEGORIES.filter((category) => !shows(category));

  return renderPage(
    <html lang="sv">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{`${title} — SIP`}</title>
        <InlineStyle css={DOCUMENT_STYLE} />
      </head>
      <body>
        <header>
          <p class="meta">Samordnad individuell plan (SIP)</p>
          <h1>{title}</h1>
          {plan.individual.personalIdentity && (
            <p class="meta">{identityLine(plan.individual.personalIdentity)}</p>
          )}
          <p class="meta">
            {STATUS[plan.status]}
            {plan.establishment && ` · upprättad ${swedishDate(plan.establishment.establishedAt)}`} · version{' '}
            {plan.version}
          </p>
          {withheld.length > 0 && (
            <p class="meta scope">
              Utskriften visar det som samtycket ger er verksamhet rätt att ta del av:{' '}
              {INFORMATION_CATEGORIES.filter(shows)
                .map((category) => CATEGORIES[category].sv.toLowerCase())
                .join(', ') || 'bara att planen finns'}
              .
            </p>
          )}
        </header>
        <main>
          {shows('goals') && (
            <Section title="Det här är viktigt för mig">
              {plan.longTermGoal ? (
                <p class="goal">{plan.longTermGoal}</p>
              ) : (
                <p class="empty">Målet är inte skrivet ännu.</p>
              )}
              {plan.subGoals?.length ? (
                <>
                  <h3>Delmål</h3>
                  <List items={plan.subGoals.map((g) => g.text)} />
                </>
              ) : null}
            </Section>
          )}
          {shows('interventions') && (
            <Section title="Det här gör jag själv">
              <List items={content.selfActions} empty="Inget skrivet ännu." />
            </Section>
          )}
          {shows('situation') && (
            <Section title="Här behöver jag stöd">
              <List items={content.supportNeeds} empty="Inget skrivet ännu." />
            </Section>
          )}
          {shows('interventions') && (
            <Section title="Vem gör vad och när">
              {interventions.length > 0 ? (
                <ScrollRegion class="table" label="Vem gör vad och när">
                  <table>
                    <thead>
                      <tr>
                        {COLUMNS.map((column) => (
                          <th scope="col">{column}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {interventions.map((i) => (
                        <tr>
                          <td>{i.description}</td>
                          <td>{organisationName(i.responsibleOrganisationId)}</td>
                          <td>{i.performer}</td>
                          <td>
                            {swedishDate(i.startDate)}
                            {i.endDate && ` – ${swedishDate(i.endDate)}`}
                          </td>
                          <td>{i.frequency}</td>
                          <td>{i.place}</td>
                          <td>{i.goal}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollRegion>
              ) : (
                <p class="empty">Inga insatser är planerade ännu.</p>
              )}
              {content.otherActions?.length ? (
                <>
                  <h3>Andra som hjälper till</h3>
                  <List
                    items={content.otherActions.map(
                      (a) => `${a.actor}: ${a.description}${a.frequency ? ` (${a.frequency})` : ''}`,
                    )}
                  />
                </>
              ) : null}
            </Section>
          )}
          {shows('interventions') && (
            <Section title="Vem jag kan kontakta">
              {lead ? (
                <p>
                  <strong>Huvudansvarig:</strong> {lead.name} — {contact(lead.person)}
                </p>
              ) : (
                <p class="empty">Huvudansvarig är inte utsedd ännu.</p>
              )}
              <List
                items={content.contacts?.map(
                  (c) => `${organisationName(c.organisationId)}: ${contact(c.person)}`,
                )}
              />
            </Section>
          )}
          {/* A closed plan has no next meeting; it says where to turn instead (below). */}
          {!plan.closure && shows('interventions') && (
            <Section title="När vi ses nästa gång">
              {content.followUp ? (
                <p class="next">
                  {swedishDate(content.followUp.date)}, {content.followUp.place}
                </p>
              ) : (
                <p class="empty">Ingen uppföljning är bokad ännu.</p>
              )}
            </Section>
          )}
          {content.disagreements?.length ? (
            <Section title="Där vi tycker olika">
              <List items={content.disagreements} />
            </Section>
          ) : null}
          {content.individualAgrees !== undefined && (
            <Section title="Vad jag tycker om planen">
              <p>
                {content.individualAgrees
                  ? 'Jag håller med om planeringen.'
                  : 'Jag håller inte med om hela planeringen.'}
              </p>
              {content.individualComment && <p>{content.individualComment}</p>}
            </Section>
          )}
          {plan.closure && (
            <Section title="Planen är avslutad" class="closed">
              <p>Avslutad {swedishDate(plan.closure.closedAt)}.</p>
              <p>
                <strong>Om du behöver stöd igen:</strong> {plan.closure.whereToTurn}
              </p>
              {plan.closure.individualToldAt && (
                <p>
                  Du fick veta om avslutet och vart du kan vända dig{' '}
                  {swedishDate(plan.closure.individualToldAt)}.
                </p>
              )}
            </Section>
          )}
          {shows('situation') && guardians.length > 0 && (
            <Section title="Mina vårdnadshavare">
              <List
                items={guardians.map((g) =>
                  g.youngPersonObjects
                    ? `${g.name}: deltar inte, eftersom ${firstName} inte vill det`
                    : `${g.name}: deltar`,
                )}
              />
            </Section>
          )}
          {shows('interventions') && (
            <Section title="De som är med" class="parties">
              <List
                items={plan.organisations?.map((o) => `${o.name} (${o.principalName})`)}
                empty="Inga verksamheter är tillagda ännu."
              />
            </Section>
          )}
        </main>
      </body>
    </html>,
  );
}
