/**
 * Consent as it is given, over the three SIPs of SCENARIOS.md: for every recipient and every category of
 * information, the recipient reads the category exactly when its consent covers it — in the plan, the list,
 * the document and the deadlines.
 *
 * The oracle is written here from the issue and docs/consent.md, not read from the code: for each category,
 * parts of the plan it releases (`PROBES`) and texts of the stories only it can show (`TEXTS`); for each
 * reader, the categories the scenario's consent gives it, and for the convener and the lead responsible
 * the three they need to run the process (identity, goals, interventions).
 *
 * Each story is played up to a day (steps only; no deadline check is needed for what is read). First the
 * story's own consents are checked — Elsa's three units and Sara's four read everything, Leo's football coach
 * only his goals, Sara's addiction unit nothing after day 200 — then the keeper records a new consent that
 * gives each recipient another set of categories and withdraws the story's, and every reader is checked again.
 */
import { describe, expect, it } from 'vitest';
import { PlanView } from '../../shared/domain/plan.ts';
import { startTestApi } from '../support/api.ts';
import { instant, planClient, type Story } from './runner.ts';
import {
  AF,
  BEROENDE,
  BUP,
  elsa,
  FK,
  GERIATRIK,
  HEMTJANST,
  leo,
  MISSBRUK,
  NEURO,
  PSYK,
  SKOLA,
  SOC,
  sara,
  TRANARE,
  VARDCENTRAL,
} from './stories.ts';

type Category = 'goals' | 'interventions' | 'situation' | 'identity';
const ALL: Category[] = ['goals', 'interventions', 'situation', 'identity'];
/** What the convener and the lead responsible read whatever their consent says (docs/consent.md). */
const KEEPER_NEEDS: Category[] = ['identity', 'goals', 'interventions'];

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read as a client reads them
type Json = any;

/** Parts every reader with access sees. */
const FRAME = ['/planId', '/status', '/version', '/individual/name', '/convener'];

interface Case {
  name: string;
  story: Story;
  /** Play the story's steps up to and including this day. */
  until: number;
  keeper: string;
  convener: string;
  /** Who reads what under the story's own consents (an empty list: not at all). */
  asGiven: Record<string, Category[]>;
  /** The recipients of the keeper's new consent in the second round. */
  recipients: string[];
  /** Parts each category releases that this plan has (hand-picked from the story). */
  probes: Record<Category, string[]>;
  /** Texts of the story that only the category shows, anywhere in an answer. */
  texts: Record<Category, string[]>;
  /** What the document shows of each category. */
  documentTexts: Record<Category, string>;
}

const common = {
  goals: ['/longTermGoal'],
  interventions: ['/content/interventions', '/content/leadResponsible', '/organisations', '/meetings'],
  situation: ['/content/supportNeeds'],
  identity: ['/individual/personalIdentity'],
};

const CASES: Case[] = [
  {
    name: 'Elsa',
    story: elsa,
    until: 13,
    keeper: VARDCENTRAL,
    convener: VARDCENTRAL,
    asGiven: { [VARDCENTRAL]: ALL, [HEMTJANST]: ALL, [GERIATRIK]: ALL },
    recipients: [VARDCENTRAL, HEMTJANST, GERIATRIK],
    probes: { ...common, interventions: [...common.interventions, '/discharge'] },
    texts: {
      goals: ['Att kunna bo kvar hemma och gå till affären själv.'],
      interventions: ['Hemtjänst två gånger om dagen'],
      situation: ['Stöd med personlig hygien och inköp efter fallet.'],
      identity: ['194203152386'],
    },
    documentTexts: {
      goals: 'Att kunna bo kvar hemma och gå till affären själv.',
      interventions: 'Fysioterapi i hemmet',
      situation: 'Stöd med personlig hygien och inköp efter fallet.',
      identity: '19420315-2386',
    },
  },
  {
    name: 'Leo',
    story: leo,
    until: 45,
    keeper: SOC,
    convener: SKOLA,
    asGiven: { [SKOLA]: ALL, [BUP]: ALL, [NEURO]: ALL, [SOC]: ALL, [TRANARE]: ['goals'] },
    recipients: [SKOLA, BUP, NEURO, SOC, TRANARE],
    probes: {
      ...common,
      situation: [
        ...common.situation,
        '/representatives',
        '/followUps/0/progress',
        '/followUps/0/newCircumstances',
      ],
    },
    texts: {
      goals: ['Gå i skolan tre dagar i veckan före sommarlovet.', 'Leo var med en stund'],
      interventions: ['Utredning av adhd'],
      situation: ['Stöd att komma till skolan på morgonen.', 'Familjen har flyttat.'],
      identity: ['201212121212'],
    },
    documentTexts: {
      goals: 'Gå i skolan tre dagar i veckan före sommarlovet.',
      interventions: 'Utredning av adhd',
      situation: 'Stöd att komma till skolan på morgonen.',
      identity: '20121212-1212',
    },
  },
  {
    name: 'Sara',
    story: sara,
    until: 200,
    keeper: PSYK,
    convener: PSYK,
    asGiven: { [PSYK]: ALL, [BEROENDE]: ALL, [FK]: ALL, [AF]: ALL, [MISSBRUK]: [] },
    recipients: [PSYK, BEROENDE, FK, AF],
    probes: { ...common, situation: [...common.situation, '/followUps/0/progress'] },
    texts: {
      goals: ['Att må bra och komma tillbaka till arbete.'],
      interventions: ['Behandlingsprogram'],
      situation: ['Stöd att hålla nykterheten och att orka med vardagen.', 'Behandlingen går framåt.'],
      identity: ['199001010017'],
    },
    documentTexts: {
      goals: 'Att må bra och komma tillbaka till arbete.',
      interventions: 'Behandlingsprogram',
      situation: 'Stöd att hålla nykterheten och att orka med vardagen.',
      identity: '19900101-0017',
    },
  },
];

/** The second round's sets, given in turn: each category given to some recipients and not to others. */
const ROTATION: Category[][] = [
  ['goals'],
  ['interventions', 'situation'],
  ['situation', 'identity'],
  ['goals', 'interventions', 'identity'],
  ['identity'],
];

const at = (document: Json, pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .reduce((value, token) => (value === undefined || value === null ? undefined : value[token]), document);

const token = (org: string) => ({ organisationId: org, userId: `user@${org}` });

async function play(story: Story, until: number) {
  let clock = instant(story.day0, 0);
  const api = await startTestApi({ clock: () => clock });
  const plan = planClient(api);
  const steps = story.steps
    .filter((step) => step.day <= until)
    .map((step) => ({ ...step, time: instant(story.day0, step.day, step.at) }))
    .sort((a, b) => a.time.getTime() - b.time.getTime());
  for (const step of steps) {
    clock = step.time;
    await step.run(plan);
  }
  // Read an hour after the last step.
  clock = new Date(clock.getTime() + 3_600_000);
  return { api, plan, setClock: (next: Date) => (clock = next), now: () => clock };
}

type Played = Awaited<ReturnType<typeof play>>;

/** Every view of the plan as `org` reads it, against the categories it should read (none: no access). */
async function expectReads(played: Played, c: Case, org: string, expected: Category[]) {
  const { api, plan } = played;
  const as = token(org);
  const json = await api.call('GET', `/plans/${plan.planId}`, { as });
  const document = await api.call('GET', `/plans/${plan.planId}/document`, { as });
  const deadlines = await api.call('GET', `/plans/${plan.planId}/deadlines`, { as });
  const list = await api.call('GET', '/plans?limit=100', { as });
  const upcoming = await api.call('GET', '/deadlines?state=upcoming&limit=100', { as });
  const byIdentity = await api.call('GET', `/plans?personalIdentity=${c.texts.identity[0]}`, { as });
  const listed = list.json.items.find((item: Json) => item.planId === plan.planId);
  const foundByIdentity = byIdentity.json.items.some((item: Json) => item.planId === plan.planId);
  const deadlineListed = upcoming.json.items.some((item: Json) => item.planId === plan.planId);
  const where = `${c.name}, ${org}`;

  if (expected.length === 0) {
    expect([json.status, document.status, deadlines.status], where).toEqual([404, 404, 404]);
    expect(listed, where).toBeUndefined();
    expect(foundByIdentity, where).toBe(false);
    expect(deadlineListed, where).toBe(false);
    return;
  }
  expect([json.status, document.status, deadlines.status], where).toEqual([200, 200, 200]);
  for (const pointer of FRAME) expect(at(json.json, pointer), `${where}: ${pointer}`).toBeDefined();
  // The answer is what the API description promises a reader, however little it is given.
  expect(PlanView.safeParse(json.json).error?.issues, `${where}: a PlanView`).toBeUndefined();
  expect(listed, where).toBeDefined();

  for (const category of ALL) {
    const shown = expected.includes(category);
    const what = `${where} ${shown ? 'reads' : 'does not read'} ${category}`;
    for (const pointer of c.probes[category]) {
      expect(at(json.json, pointer) !== undefined, `${what}: ${pointer}`).toBe(shown);
    }
    // Withheld means absent from the answer altogether, whatever part might have carried it.
    for (const text of c.texts[category]) {
      expect(json.text.includes(text), `${what}: “${text}” in the plan`).toBe(shown);
    }
    expect(document.text.includes(c.documentTexts[category]), `${what}: in the document`).toBe(shown);
  }
  // Finding the plan by the personal identity number ties the number to it.
  expect(foundByIdentity, `${where}: found by its personal identity number`).toBe(
    expected.includes('identity'),
  );
  // The list and the deadlines are "who does what and when".
  const interventions = expected.includes('interventions');
  expect('followUpDate' in listed, `${where}: the list's follow-up date`).toBe(interventions);
  expect('noticedAt' in listed, `${where}: the list's noticedAt`).toBe(interventions);
  expect(deadlines.json.items.length > 0, `${where}: the plan's deadlines`).toBe(interventions);
  expect('remindersGoTo' in deadlines.json, `${where}: whom the deadlines remind`).toBe(interventions);
  expect(deadlineListed, `${where}: GET /deadlines`).toBe(interventions);
  // Without interventions, a reader sees only its own consents, and no one else among their recipients.
  if (!interventions) {
    for (const consent of json.json.consents ?? []) expect(consent.recipients, where).toEqual([org]);
  }
  // The history names no part the reader may not read.
  const revisions = await api.call('GET', `/plans/${plan.planId}/revisions?limit=100`, { as });
  const pointers: string[] = revisions.json.items.flatMap((revision: Json) => revision.changes);
  for (const category of ALL) {
    if (expected.includes(category)) continue;
    for (const probe of c.probes[category]) {
      const named = pointers.filter((pointer) => pointer === probe || pointer.startsWith(`${probe}/`));
      expect(named, `${where}: revisions name ${probe}`).toEqual([]);
    }
  }
}

describe.each(CASES)('what each reader of $name’s plan reads', (c) => {
  it('follows the story’s own consents, then each recipient’s own set of categories', async () => {
    const played = await play(c.story, c.until);
    try {
      for (const [org, categories] of Object.entries(c.asGiven)) {
        await expectReads(played, c, org, categories);
      }

      // The keeper records a consent with another set for each recipient, and withdraws the story's.
      const { plan } = played;
      const before = plan.current().consents as Json[];
      const storys = before.filter(
        (consent) => consent.kind === 'informationSharing' && !consent.withdrawnAt,
      );
      const given: Record<string, Category[]> = Object.fromEntries(
        c.recipients.map((org, index) => [org, ROTATION[index % ROTATION.length] as Category[]]),
      );
      await plan.post(
        '/consents',
        {
          kind: 'informationSharing',
          form: 'written',
          givenBy: storys[0].givenBy,
          recipients: c.recipients,
          releases: c.recipients.map((organisationId) => ({
            organisationId,
            categories: given[organisationId],
          })),
          givenAt: new Date(played.now().getTime() - 60_000).toISOString(),
        },
        c.keeper,
      );
      for (const consent of storys) await plan.post(`/consents/${consent.id}/withdrawal`, {}, c.keeper);

      for (const org of Object.keys(c.asGiven)) {
        const own = given[org] ?? [];
        const keeper = org === c.keeper || org === c.convener;
        const expected = keeper ? ALL.filter((x) => own.includes(x) || KEEPER_NEEDS.includes(x)) : own;
        await expectReads(played, c, org, expected);
      }
    } finally {
      await played.api.close();
    }
  }, 120_000);
});

describe('Leo’s football coach and his guardians', () => {
  it('lets the coach change nothing he cannot read, and the document shows whom Leo objects to', async () => {
    const played = await play(leo, 18);
    const { api, plan } = played;
    try {
      const etag = async (org: string) =>
        (await api.call('GET', `/plans/${plan.planId}`, { as: token(org) })).headers.get('etag') ?? '';
      const patch = async (org: string, body: object) =>
        api.call('PATCH', `/plans/${plan.planId}`, {
          body,
          headers: { 'if-match': await etag(org), 'content-type': 'application/merge-patch+json' },
          as: token(org),
        });
      // His own contact person is his to change — but the contacts are "who does what", which his consent
      // does not give him: he would overwrite a list he cannot see.
      const refused = await patch(TRANARE, {
        content: { contacts: [{ organisationId: TRANARE, person: { name: 'Kim Tränare' } }] },
      });
      expect([refused.status, refused.json.type, refused.json.pointer]).toEqual([
        403,
        '/problems/not-released-to-you',
        '/content/contacts',
      ]);
      const read = await api.call('GET', `/plans/${plan.planId}`, { as: token(SOC) });
      expect(read.json.content.contacts).toBeUndefined();
      expect(read.json.version).toBe(plan.current().version);

      // Leo objects to his second guardian taking part: recorded by the lead responsible; such a guardian
      // cannot be given a part in the meetings.
      const [first, second] = read.json.representatives;
      const attending = await patch(SOC, {
        representatives: [
          first,
          { ...second, youngPersonObjects: true, powers: ['consent', 'attendMeetings'] },
        ],
      });
      expect(attending.status).toBe(400);
      const objected = await patch(SOC, {
        representatives: [first, { ...second, youngPersonObjects: true }],
      });
      expect(objected.status).toBe(200);
      const page = (await api.call('GET', `/plans/${plan.planId}/document`, { as: token(SOC) })).text;
      expect(page).toContain(`${first.name}: deltar<`);
      expect(page).toContain(`${second.name}: deltar inte, eftersom Leo inte vill det`);
      // The coach reads neither: the guardians are part of Leo's situation.
      const coachPage = (await api.call('GET', `/plans/${plan.planId}/document`, { as: token(TRANARE) }))
        .text;
      expect(coachPage).not.toContain(second.name);
      expect(coachPage).toContain('Gå i skolan tre dagar i veckan före sommarlovet.');
    } finally {
      await api.close();
    }
  }, 120_000);
});
