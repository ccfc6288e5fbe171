/**
 * A finite set of plans for the policy property test: one per combination of status × consent state × role
 * layout that the process can reach, built through the API at fixed instants, so that every decision the
 * policy makes about them can be asked over HTTP at chosen instants around a consent's expiry.
 *
 * Timeline (UTC):
 *   SEEDED_AT  2026-11-16 09:00  every plan is created and driven to its status; withdrawals happen here
 *   LAPSES_AT  2026-11-17 09:00  the `lapsed` consents expire…
 *   CHECKED_AT 2026-11-18 09:00  …and the deadline check has run since (it writes no plan)
 *   EXPIRES_AT 2026-12-01 12:00  the `expiring` consents end; requests are made around this instant
 */

import { DEFAULT_DEADLINE_SETTINGS } from '../../shared/domain/deadlines/settings.ts';
import { type Plan, PlanStatus } from '../../shared/domain/plan.ts';
import { toStockholmTimestamp } from '../../shared/domain/time.ts';
import { keeperOf } from '../../shared/policy/authority.ts';
import { runDeadlineCheck } from '../../shared/reminders/check.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createReminderBook } from '../../shared/store/reminder-book.ts';
import { createReportStore } from '../../shared/store/report-events.ts';
import { OTHER_ORG } from './api.ts';
import { establishment, establishmentConsent, invitation, sharingConsent } from './process.ts';
import { elsa, GERIATRIK, HEMTJANST, VARDCENTRAL } from './scenarios.ts';
import { type Api, BYSTANDER, mapLimit, NEURO, participating, testPlanStore } from './security.ts';

export const SEEDED_AT = new Date('2026-11-16T09:00:00.000Z');
export const LAPSES_AT = '2026-11-17T10:00:00.000+01:00';
export const CHECKED_AT = new Date('2026-11-18T09:00:00.000Z');
export const EXPIRES_AT = '2026-12-01T13:00:00.000+01:00';

const DAY = 24 * 3600 * 1000;
const EXPIRY = Date.parse(EXPIRES_AT);
/** The instants requests are made at: the millisecond before, at and after the expiry, and further off. */
export const INSTANTS = {
  weekBefore: EXPIRY - 7 * DAY,
  msBefore: EXPIRY - 1,
  atExpiry: EXPIRY,
  msAfter: EXPIRY + 1,
  twoMonthsAfter: EXPIRY + 60 * DAY,
} as const;
export type InstantName = keyof typeof INSTANTS;

/** The callers: one organisation per role a plan can give. */
export const CALLERS = {
  convener: VARDCENTRAL,
  /** Home care: the lead responsible in the `otherLeads` layout, a plain participant otherwise. */
  homeCare: HEMTJANST,
  /** Geriatrics: noticed the need; a participant. */
  geriatrics: GERIATRIK,
  /** Neurology: the invitee once a kallelse is sent. */
  neurology: NEURO,
  /** A participant named only by the `namedOther` consents. */
  bystander: BYSTANDER,
  /** Takes no part in any plan, but the `active` consents name it. */
  outsider: OTHER_ORG,
} as const;
export type CallerName = keyof typeof CALLERS;

export const LAYOUTS = ['convenerLeads', 'otherLeads', 'noLead'] as const;
export type Layout = (typeof LAYOUTS)[number];
export const CONSENT_SETUPS = ['none', 'active', 'expiring', 'withdrawn', 'lapsed', 'namedOther'] as const;
export type ConsentSetup = (typeof CONSENT_SETUPS)[number];
export const STATUSES: readonly PlanStatus[] = PlanStatus.options;

export interface SeededPlan {
  planId: string;
  layout: Layout;
  consent: ConsentSetup;
  status: PlanStatus;
  /** A personnummer of this plan's individual only: GET /plans?personalIdentity= finds this plan alone. */
  personalIdentity: string;
  /** Ids for command paths: the first consent and invitation, when there are any. */
  consentId?: string | undefined;
  invitationId?: string | undefined;
  /** The plan as stored once seeding is done: the policy's input. */
  plan: Plan;
}

const HOME_CARE_LEAD = {
  organisationId: HEMTJANST,
  name: 'Hemtjänsten Centrum',
  principal: 'municipality',
  principalName: 'Göteborgs Stad',
  person: { name: 'Bo Biståndshandläggare', email: 'bo@example.se' },
};

/** A valid personnummer born 15 March 1942 with serial `serial` (1–999): the Luhn digit computed. */
export function personnummer(serial: number): string {
  const digits = `420315${String(serial).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const product = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return `19${digits.slice(0, 6)}-${digits.slice(6)}${(10 - (sum % 10)) % 10}`;
}

/** Which combinations the process can reach. */
export function reachable(status: PlanStatus, consent: ConsentSetup, layout: Layout): boolean {
  // A kallelse needs an information-sharing consent naming the invitee; establishing needs a lead responsible.
  if ((status === 'invited' || status === 'established') && consent === 'none') return false;
  if (status === 'established' && layout === 'noLead') return false;
  return true;
}

function planBody(layout: Layout, status: PlanStatus, serial: number) {
  const { leadResponsible, ...contentWithoutLead } = elsa.content;
  return {
    ...elsa,
    individual: {
      ...elsa.individual,
      personalIdentity: { type: 'personnummer', value: personnummer(serial) },
    },
    initiation: { ...elsa.initiation, trigger: status === 'requestRefused' ? 'ownRequest' : 'discharge' },
    organisations: [
      ...elsa.organisations,
      participating(NEURO, 'Neurologmottagningen', 'region'),
      participating(BYSTANDER, 'Biståndsenheten Väster', 'municipality'),
    ],
    content:
      layout === 'noLead'
        ? contentWithoutLead
        : { ...elsa.content, leadResponsible: layout === 'otherLeads' ? HOME_CARE_LEAD : leadResponsible },
  };
}

const EVERYONE = [VARDCENTRAL, HEMTJANST, GERIATRIK, NEURO, BYSTANDER, OTHER_ORG];

/**
 * Seeds every reachable combination through the API (the caller sets the API's clock to the instants
 * above), runs the deadline check past the `lapsed` consents' expiry, and returns the plans as stored.
 */
export async function seedPolicyPlans(api: Api, setClock: (now: Date) => void): Promise<SeededPlan[]> {
  const combos = STATUSES.flatMap((status) =>
    CONSENT_SETUPS.flatMap((consent) =>
      LAYOUTS.filter((layout) => reachable(status, consent, layout)).map((layout) => ({
        status,
        consent,
        layout,
      })),
    ),
  );
  setClock(SEEDED_AT);
  const seeded = await mapLimit(combos, 4, (combo, index) => seedOne(api, combo, index + 1));

  // The deadline check runs after the consents expired at LAPSES_AT: it must change nothing the policy reads.
  setClock(CHECKED_AT);
  const store = testPlanStore();
  const tableName = process.env.TABLE_NAME ?? '';
  const client = createDocumentClient({ tableName, endpoint: process.env.DYNAMODB_ENDPOINT });
  await runDeadlineCheck({
    plans: store,
    book: createReminderBook(client, tableName),
    reports: createReportStore(client, tableName),
    queue: { send: async () => {} },
    settings: DEFAULT_DEADLINE_SETTINGS,
    now: CHECKED_AT,
  });
  return Promise.all(
    seeded.map(async (s) => {
      const plan = await store.get(s.planId);
      if (!plan) throw new Error(`seeded plan ${s.planId} is gone`);
      if (plan.status !== s.status) throw new Error(`plan ${s.planId} is ${plan.status}, not ${s.status}`);
      return {
        ...s,
        plan,
        consentId: plan.consents[0]?.id,
        invitationId: plan.invitations[0]?.id,
      };
    }),
  );
}

async function seedOne(
  api: Api,
  { status, consent, layout }: { status: PlanStatus; consent: ConsentSetup; layout: Layout },
  serial: number,
): Promise<Omit<SeededPlan, 'plan'>> {
  let etag = '"1"';
  const created = await api.call('POST', '/plans', { body: planBody(layout, status, serial) });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  const planId: string = created.json.planId;
  let plan = created.json;
  // Each step is taken by the organisation whose step it is: the keeper (convener, later lead responsible).
  const send = async (path: string, body: unknown, organisationId = keeperOf(plan)) => {
    const res = await api.call('POST', `/plans/${planId}${path}`, {
      body,
      headers: { 'if-match': etag },
      as: { organisationId },
    });
    if (res.status >= 300)
      throw new Error(`${status}/${consent}/${layout} ${path}: ${res.status} ${res.text}`);
    etag = res.headers.get('etag') ?? etag;
    plan = res.json;
    return res.json;
  };
  const lastConsentId = () => plan.consents.at(-1).id as string;

  // Every status but `initiated` is reached through a kallelse when there is a consent to send it under;
  // a closed plan with a lead responsible is established first.
  const invites = consent !== 'none' && status !== 'initiated';
  const establishes = invites && layout !== 'noLead' && (status === 'established' || status === 'closed');
  const expiresAt =
    consent === 'expiring' ? { expiresAt: EXPIRES_AT } : consent === 'lapsed' ? { expiresAt: LAPSES_AT } : {};

  let firstSharing: string | undefined;
  if (consent === 'namedOther') {
    // The kallelse needs a consent naming the invitee: one that is withdrawn afterwards.
    if (invites) {
      await send('/consents', sharingConsent(undefined, [NEURO]));
      firstSharing = lastConsentId();
    }
  } else if (consent !== 'none') {
    await send('/consents', { ...sharingConsent(undefined, EVERYONE), ...expiresAt });
    firstSharing = lastConsentId();
  }
  // One clock for the whole seeding: the meeting is called a minute ahead and held a minute after that,
  // within the clock skew the service allows a reported moment.
  const meetingAt = toStockholmTimestamp(new Date(SEEDED_AT.getTime() + 60_000));
  const heldAt = toStockholmTimestamp(new Date(SEEDED_AT.getTime() + 120_000));
  if (invites) {
    await send('/invitations', {
      ...invitation(meetingAt),
      invitees: [{ organisationId: NEURO, contribution: 'Bedömning av kognitiv förmåga' }],
    });
  }
  if (establishes) {
    await send('/consents', establishmentConsent());
    const body = establishment(heldAt);
    await send('/establishment', {
      ...body,
      content: {
        ...body.content,
        leadResponsible: layout === 'otherLeads' ? HOME_CARE_LEAD : body.content.leadResponsible,
      },
    });
  }
  if ((consent === 'withdrawn' || consent === 'namedOther') && firstSharing) {
    // Recorded by an organisation the consent names: the individual may tell any of them.
    const recipient = plan.consents.find((c: { id: string }) => c.id === firstSharing).recipients[0];
    await send(`/consents/${firstSharing}/withdrawal`, {}, recipient);
  }
  if (consent === 'namedOther') await send('/consents', sharingConsent(undefined, [BYSTANDER]));

  if (status === 'closed')
    await send('/closure', { reason: 'noNewNeedsExpected', informed: [], whereToTurn: 'Vårdcentralen.' });
  if (status === 'consentRefused') await send('/consent-refusal', { informedFirst: true });
  if (status === 'requestRefused')
    await send('/request-refusal', { reason: 'Behovet kan mötas inom en verksamhet.' });
  if (status === 'notNeeded') {
    await send('/discharge-events', {
      event: 'sipNotNeeded',
      at: '2026-11-16T09:00:00+01:00',
      reason: 'Klarar sig själv.',
    });
  }
  return {
    planId,
    layout,
    consent,
    status,
    personalIdentity: personnummer(serial),
  };
}
