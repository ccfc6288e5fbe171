/**
 * The plan as the document its participants and the individual get: Swedish, written to the individual
 * ("Elsas plan"), print-ready. Everything from the record is escaped; the page has no script.
 */
import {
  CATEGORIES,
  INFORMATION_CATEGORIES,
  type InformationCategory,
} from '../../../shared/domain/information.ts';
import type { PersonalIdentity } from '../../../shared/domain/personal-identity.ts';
import type { Plan, PlanView } from '../../../shared/domain/plan.ts';
import { pagePolicy } from '../../../shared/http/security.ts';

const escapeHtml = (value: unknown) =>
  String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

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

const STATUS: Record<Plan['status'], string> = {
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
  return `${label[identity.type]} ${escapeHtml(written)}`;
};

/** A list, or the `empty` sentence when there is nothing to list (nothing at all when that is empty too). */
const list = (items: string[] | undefined, empty: string) => {
  if (items && items.length > 0) return `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  return empty ? `<p class="empty">${empty}</p>` : '';
};

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
  const contact = (person: {
    name: string;
    email?: string | undefined;
    mobile?: string | undefined;
    phone?: string | undefined;
  }) => [person.name, person.phone, person.mobile, person.email].filter(Boolean).map(escapeHtml).join(' · ');

  // A child's guardians take part unless the young person objects; the page says which do.
  const guardians = (plan.representatives ?? []).filter((r) => r.kind === 'guardian');
  const interventions = (content.interventions ?? [])
    .map(
      (
        i,
      ) => `<tr><td>${escapeHtml(i.description)}</td><td>${escapeHtml(organisationName(i.responsibleOrganisationId))}</td>
<td>${escapeHtml(i.performer)}</td><td>${swedishDate(i.startDate)}${i.endDate ? ` – ${swedishDate(i.endDate)}` : ''}</td>
<td>${escapeHtml(i.frequency)}</td><td>${escapeHtml(i.place)}</td><td>${escapeHtml(i.goal)}</td></tr>`,
    )
    .join('');

  const sections = [
    shows('goals') &&
      `<section><h2>Det här är viktigt för mig</h2>${plan.longTermGoal ? `<p class="goal">${escapeHtml(plan.longTermGoal)}</p>` : '<p class="empty">Målet är inte skrivet ännu.</p>'}
${
  plan.subGoals?.length
    ? `<h3>Delmål</h3>${list(
        plan.subGoals.map((g) => g.text),
        '',
      )}`
    : ''
}</section>`,
    shows('interventions') &&
      `<section><h2>Det här gör jag själv</h2>${list(content.selfActions, 'Inget skrivet ännu.')}</section>`,
    shows('situation') &&
      `<section><h2>Här behöver jag stöd</h2>${list(content.supportNeeds, 'Inget skrivet ännu.')}</section>`,
    shows('interventions') &&
      `<section><h2>Vem gör vad och när</h2>${
        interventions
          ? `<div class="table" role="region" aria-label="Vem gör vad och när" tabindex="0"><table><thead><tr><th scope="col">Vad</th><th scope="col">Ansvarar</th><th scope="col">Utförs av</th><th scope="col">När</th><th scope="col">Hur ofta</th><th scope="col">Var</th><th scope="col">Mål</th></tr></thead><tbody>${interventions}</tbody></table></div>`
          : '<p class="empty">Inga insatser är planerade ännu.</p>'
      }
${
  content.otherActions?.length
    ? `<h3>Andra som hjälper till</h3>${list(
        content.otherActions.map(
          (a) => `${a.actor}: ${a.description}${a.frequency ? ` (${a.frequency})` : ''}`,
        ),
        '',
      )}`
    : ''
}</section>`,
    shows('interventions') &&
      `<section><h2>Vem jag kan kontakta</h2>${
        lead
          ? `<p><strong>Huvudansvarig:</strong> ${escapeHtml(lead.name)} — ${contact(lead.person)}</p>`
          : '<p class="empty">Huvudansvarig är inte utsedd ännu.</p>'
      }${list(
        content.contacts?.map(
          (c) =>
            `${organisationName(c.organisationId)}: ${[c.person.name, c.person.phone, c.person.mobile, c.person.email].filter(Boolean).join(' · ')}`,
        ),
        '',
      )}</section>`,
    // A closed plan has no next meeting; it says where to turn instead (below).
    plan.closure || !shows('interventions')
      ? ''
      : `<section><h2>När vi ses nästa gång</h2>${
          content.followUp
            ? `<p class="next">${swedishDate(content.followUp.date)}, ${escapeHtml(content.followUp.place)}</p>`
            : '<p class="empty">Ingen uppföljning är bokad ännu.</p>'
        }</section>`,
    content.disagreements?.length
      ? `<section><h2>Där vi tycker olika</h2>${list(content.disagreements, '')}</section>`
      : '',
    content.individualAgrees !== undefined
      ? `<section><h2>Vad jag tycker om planen</h2><p>${content.individualAgrees ? 'Jag håller med om planeringen.' : 'Jag håller inte med om hela planeringen.'}</p>${content.individualComment ? `<p>${escapeHtml(content.individualComment)}</p>` : ''}</section>`
      : '',
    plan.closure
      ? `<section class="closed"><h2>Planen är avslutad</h2><p>Avslutad ${swedishDate(plan.closure.closedAt)}.</p><p><strong>Om du behöver stöd igen:</strong> ${escapeHtml(plan.closure.whereToTurn)}</p>${plan.closure.individualToldAt ? `<p>Du fick veta om avslutet och vart du kan vända dig ${swedishDate(plan.closure.individualToldAt)}.</p>` : ''}</section>`
      : '',
    shows('situation') && guardians.length > 0
      ? `<section><h2>Mina vårdnadshavare</h2>${list(
          guardians.map((g) =>
            g.youngPersonObjects
              ? `${g.name}: deltar inte, eftersom ${firstName} inte vill det`
              : `${g.name}: deltar`,
          ),
          '',
        )}</section>`
      : '',
    shows('interventions') &&
      `<section class="parties"><h2>De som är med</h2>${list(
        plan.organisations?.map((o) => `${o.name} (${o.principalName})`),
        'Inga verksamheter är tillagda ännu.',
      )}</section>`,
  ];
  const withheld = INFORMATION_CATEGORIES.filter((category) => !shows(category));
  const scope =
    withheld.length === 0
      ? ''
      : `<p class="meta scope">Utskriften visar det som samtycket ger er verksamhet rätt att ta del av: ${
          INFORMATION_CATEGORIES.filter(shows)
            .map((category) => CATEGORIES[category].sv.toLowerCase())
            .join(', ') || 'bara att planen finns'
        }.</p>`;
  const identity = plan.individual.personalIdentity
    ? `<p class="meta">${identityLine(plan.individual.personalIdentity)}</p>`
    : '';

  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} — SIP</title>
<style>${DOCUMENT_STYLE}</style></head><body>
<header><p class="meta">Samordnad individuell plan (SIP)</p><h1>${escapeHtml(title)}</h1>
${identity}<p class="meta">${escapeHtml(STATUS[plan.status])}${plan.establishment ? ` · upprättad ${swedishDate(plan.establishment.establishedAt)}` : ''} · version ${plan.version}</p>${scope}</header>
<main>
${sections.filter(Boolean).join('\n')}
</main>
</body></html>`;
}
