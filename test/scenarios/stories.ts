/**
 * The three SIPs of the team's SCENARIOS.md, as steps over HTTP: each step made by the organisation the
 * process says is entitled to it (the convener before establishment, the lead responsible after, each
 * invitee for itself). People and organisations are invented; the personal identity numbers pass the Luhn
 * check and belong to no one we know of. Times of day the scenarios leave open are chosen here.
 */
import { fromStockholmLocal, toStockholmTimestamp } from '../../shared/domain/time.ts';
import type { PlanClient, Story } from './runner.ts';

const REGION = { principal: 'region', principalName: 'Västra Götalandsregionen' } as const;
const CITY = { principal: 'municipality', principalName: 'Göteborgs Stad' } as const;
const unit = (
  organisationId: string,
  name: string,
  unitKind: string,
  owner: typeof REGION | typeof CITY | { principal: 'other'; principalName: string },
  participation: 'summoned' | 'invited' = 'summoned',
) => ({ organisationId, name, unitKind, ...owner, participation });

/** An intervention: what, who is responsible and performs it, from when, how often, where, for which goal. */
export const intervention = (description: string, responsibleOrganisationId: string, startDate: string) => ({
  description,
  responsibleOrganisationId,
  performer: 'Enligt verksamhetens planering',
  startDate,
  frequency: 'enligt plan',
  place: 'hemmet',
  goal: 'Det långsiktiga målet',
});

/** Every category of information: what the principals running the plan together are given in these stories. */
export const EVERYTHING = ['goals', 'interventions', 'situation', 'identity'];

/**
 * A written consent. An information-sharing one releases every category to each recipient, except where
 * `releases` names fewer for one.
 */
const consent = (
  kind: string,
  recipients: string[],
  givenAt: string,
  by: object = { kind: 'individual' },
  releases: { organisationId: string; categories: string[] }[] = [],
) => ({
  kind,
  form: 'written',
  givenBy: by,
  recipients,
  scope: kind === 'informationSharing' ? 'Uppgifter som behövs för planeringen.' : 'Att upprätta en SIP.',
  ...(kind === 'informationSharing' && { categories: EVERYTHING, releases }),
  givenAt,
});

// ---------------------------------------------------------------------------------------------------------
// 1. Elsa, 84: discharge from hospital. Day 0 = 2 November 2026.

export const VARDCENTRAL = 'SE2321000131-E000000000001';
export const HEMTJANST = 'SE2120001801-E000000000010';
export const GERIATRIK = 'SE2321000131-E000000000020';
/** The vårdcentral's doctor convenes (SMS and e-mail); its nurse becomes the lead responsible (e-mail). */
export const ANNA = { name: 'Anna Andersson', email: 'anna.andersson@example.se', mobile: '+46701234567' };
export const NINA = { name: 'Nina Nilsson', email: 'nina.nilsson@example.se' };
export const BO = { name: 'Bo Biståndshandläggare', email: 'bo@example.se' };
export const GRETA = { name: 'Greta Geriatrik', email: 'greta@example.se' };

const elsaDay0 = '2026-11-02';
const elsaAt = (day: number, time: string) => {
  // Day N of the story, as an ISO time with Stockholm's winter offset (the story is all in winter).
  const date = new Date(Date.parse(`${elsaDay0}T00:00:00Z`) + day * 86_400_000).toISOString().slice(0, 10);
  return `${date}T${time}:00+01:00`;
};
const elsaOrgs = [VARDCENTRAL, HEMTJANST, GERIATRIK];

export const elsa: Story = {
  day0: elsaDay0,
  lastDay: 70,
  steps: [
    {
      day: 0,
      at: '10:00',
      run: (p) =>
        p.create(
          {
            individual: {
              personalIdentity: { type: 'personnummer', value: '19420315-2386' },
              name: 'Elsa Exempel',
            },
            initiation: {
              noticedAt: elsaAt(0, '10:00'),
              trigger: 'discharge',
              noticedBy: {
                organisationId: GERIATRIK,
                name: 'Geriatriska avdelningen',
                person: { name: 'Karin Berg' },
              },
            },
            participation: { ways: ['digital'], digitalMeetingAgreed: true, nextOfKinMayTakePart: true },
            longTermGoal: 'Att kunna bo kvar hemma och gå till affären själv.',
            organisations: [
              unit(VARDCENTRAL, 'Vårdcentralen Centrum', 'vårdcentral', REGION),
              unit(HEMTJANST, 'Hemtjänsten Centrum', 'hemtjänst', CITY),
              unit(GERIATRIK, 'Geriatriska teamet', 'geriatrik', REGION),
            ],
            convener: { organisationId: VARDCENTRAL, name: 'Vårdcentralen Centrum', person: ANNA },
          },
          VARDCENTRAL,
        ),
    },
    {
      day: 6,
      at: '14:10',
      run: (p) =>
        p
          .post('/discharge-events', { event: 'readyForDischarge', at: elsaAt(6, '14:10') }, VARDCENTRAL)
          .then(),
    },
    {
      day: 6,
      at: '15:00',
      run: async (p) => {
        for (const kind of ['informationSharing', 'planEstablishment'])
          await p.post(
            '/consents',
            {
              ...consent(kind, elsaOrgs, elsaAt(6, '15:00')),
              form: 'oral',
              documentation: 'Muntligt, journalfört.',
            },
            VARDCENTRAL,
          );
      },
    },
    {
      day: 8,
      at: '10:00',
      run: (p) =>
        p
          .post(
            '/invitations',
            {
              purpose: 'Planera stödet efter utskrivningen.',
              questions: ['Vilket stöd behövs i hemmet?'],
              startsAt: elsaAt(13, '10:00'),
              place: { kind: 'digital' },
              invitees: [
                { organisationId: HEMTJANST, contribution: 'Hemtjänst', contact: BO },
                { organisationId: GERIATRIK, contribution: 'Rehabilitering', contact: GRETA },
              ],
            },
            VARDCENTRAL,
          )
          .then(),
    },
    {
      day: 9,
      at: '09:00',
      run: (p) =>
        p
          .post(
            `/invitations/${p.invitationId()}/responses`,
            { organisationId: HEMTJANST, kind: 'attend', attendee: BO },
            HEMTJANST,
          )
          .then(),
    },
    {
      day: 10,
      at: '09:00',
      run: (p) =>
        p
          .post(
            `/invitations/${p.invitationId()}/responses`,
            { organisationId: GERIATRIK, kind: 'substitute', attendee: { name: 'Gustav Ersättare' } },
            GERIATRIK,
          )
          .then(),
    },
    {
      day: 13,
      at: '11:00',
      run: (p) =>
        p
          .post(
            '/establishment',
            {
              meeting: {
                heldAt: elsaAt(13, '10:00'),
                attendees: [{ name: 'Elsa Exempel' }],
                leader: { name: ANNA.name },
              },
              content: {
                supportNeeds: ['Stöd med personlig hygien och inköp efter fallet.'],
                interventions: [
                  intervention('Hemtjänst två gånger om dagen', HEMTJANST, '2026-11-16'),
                  intervention('Fysioterapi i hemmet', GERIATRIK, '2026-11-18'),
                  intervention('Läkemedelsgenomgång', VARDCENTRAL, '2026-12-02'),
                ],
                leadResponsible: {
                  organisationId: VARDCENTRAL,
                  name: 'Vårdcentralen Centrum',
                  ...REGION,
                  person: NINA,
                },
                followUp: { date: '2026-12-27', place: 'Elsas hem' },
              },
            },
            VARDCENTRAL,
          )
          .then(),
    },
    {
      day: 55,
      at: '13:00',
      run: (p) =>
        p
          .post(
            '/follow-ups',
            {
              meeting: {
                heldAt: elsaAt(55, '10:00'),
                attendees: [{ name: 'Elsa Exempel' }],
                leader: { name: NINA.name },
              },
              progress: 'Elsa går till affären själv.',
              interventions: [],
              outcome: 'closed',
              closure: { reason: 'needsMet', informed: ['Elsa Exempel'], whereToTurn: 'Ring vårdcentralen.' },
            },
            VARDCENTRAL,
          )
          .then(),
    },
  ],
};

/** Day N of a story at HH:MM, as an ISO time in Stockholm (its offset that day). */
const atOf = (day0: string) => (day: number, time: string) => {
  const date = new Date(Date.parse(`${day0}T12:00:00Z`) + day * 86_400_000).toISOString().slice(0, 10);
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  return toStockholmTimestamp(fromStockholmLocal(y, m, d, hour, minute));
};
const dateOf = (day0: string, day: number) =>
  new Date(Date.parse(`${day0}T12:00:00Z`) + day * 86_400_000).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------------------
// 3. Sara, 37: psychiatry, addiction and work. Day 0 = 1 February 2027.

export const PSYK = 'SE2321000131-E000000000040';
export const MISSBRUK = 'SE2120001801-E000000000041';
export const BEROENDE = 'SE2321000131-E000000000042';
export const FK = 'SE2021005521-E000000000043';
export const AF = 'SE2021006883-E000000000044';
/** The clinic's counsellor convenes; its doctor becomes the lead responsible. Both by e-mail. */
export const PETRA = { name: 'Petra Psykiatri', email: 'petra@example.se' };
export const LARS = { name: 'Lars Läkare', email: 'lars@example.se' };
/** The addiction unit's contact person, named among the organisations: its kallelse and notices go there. */
export const MISSBRUK_RECEPTION = { name: 'Missbruksenhetens mottagning', email: 'missbruk@example.se' };

const saraDay0 = '2027-02-01';
const saraAt = atOf(saraDay0);
const saraSharing = [PSYK, BEROENDE, FK, AF];

export const sara: Story = {
  day0: saraDay0,
  lastDay: 402,
  steps: [
    {
      day: 0,
      at: '10:00',
      run: (p) =>
        p.create(
          {
            individual: {
              personalIdentity: { type: 'personnummer', value: '19900101-0017' },
              name: 'Sara Exempel',
            },
            initiation: {
              noticedAt: saraAt(0, '10:00'),
              trigger: 'ownRequest',
              noticedBy: { organisationId: PSYK, name: 'Psykiatriska kliniken', person: PETRA },
            },
            organisations: [
              unit(PSYK, 'Psykiatriska kliniken', 'psykiatri', REGION),
              // Its consent to share is withdrawn on day 200; it is told when the plan ends all the same.
              {
                ...unit(MISSBRUK, 'Missbruksenheten', 'socialtjänst', CITY),
                contactPerson: MISSBRUK_RECEPTION,
              },
              unit(BEROENDE, 'Beroendemottagningen', 'beroendevård', REGION),
              unit(
                FK,
                'Försäkringskassan',
                'försäkring',
                { principal: 'other', principalName: 'Försäkringskassan' },
                'invited',
              ),
              unit(
                AF,
                'Arbetsförmedlingen',
                'arbetsmarknad',
                { principal: 'other', principalName: 'Arbetsförmedlingen' },
                'invited',
              ),
            ],
            longTermGoal: 'Att må bra och komma tillbaka till arbete.',
            convener: { organisationId: PSYK, name: 'Psykiatriska kliniken', person: PETRA },
          },
          PSYK,
        ),
    },
    {
      day: 0,
      at: '11:00',
      run: async (p) => {
        // One consent to share, with the municipality's addiction unit among its recipients (withdrawn for it alone on day 200).
        await p.post(
          '/consents',
          consent('informationSharing', [...saraSharing, MISSBRUK], saraAt(0, '11:00')),
          PSYK,
        );
        await p.post(
          '/consents',
          consent('planEstablishment', [...saraSharing, MISSBRUK], saraAt(0, '11:00')),
          PSYK,
        );
      },
    },
    {
      day: 3,
      at: '10:00',
      run: (p) =>
        p
          .post(
            '/invitations',
            {
              purpose: 'Samordna vård, behandling och väg tillbaka till arbete.',
              questions: ['Vilket stöd behövs?'],
              startsAt: saraAt(15, '10:00'),
              place: { kind: 'regionalVenue', address: 'Psykiatriska kliniken' },
              invitees: [
                { organisationId: MISSBRUK, contribution: 'Stödkontakt' },
                { organisationId: BEROENDE, contribution: 'Behandlingsprogram' },
                { organisationId: FK, contribution: 'Rehabilitering' },
                { organisationId: AF, contribution: 'Arbetsträning' },
              ],
            },
            PSYK,
          )
          .then(),
    },
    ...[MISSBRUK, BEROENDE, AF].map((org) => ({
      day: 5,
      at: '09:00',
      run: (p: PlanClient) =>
        p
          .post(
            `/invitations/${p.invitationId()}/responses`,
            { organisationId: org, kind: 'attend', attendee: { name: 'Handläggare' } },
            org,
          )
          .then(),
    })),
    {
      day: 6,
      at: '09:00',
      run: (p) =>
        p
          .post(
            `/invitations/${p.invitationId()}/responses`,
            { organisationId: FK, kind: 'decline', note: 'Planerat avstämningsmöte om rehabilitering.' },
            FK,
          )
          .then(),
    },
    {
      day: 15,
      at: '12:00',
      run: (p) =>
        p
          .post(
            '/establishment',
            {
              meeting: {
                heldAt: saraAt(15, '10:00'),
                attendees: [{ name: 'Sara Exempel' }],
                leader: { name: PETRA.name },
              },
              content: {
                supportNeeds: ['Stöd att hålla nykterheten och att orka med vardagen.'],
                interventions: [
                  intervention('Läkemedelsuppföljning varje månad', PSYK, dateOf(saraDay0, 16)),
                  intervention('Behandlingsprogram två gånger i veckan', BEROENDE, dateOf(saraDay0, 16)),
                  intervention('Stödkontakt', MISSBRUK, dateOf(saraDay0, 20)),
                ],
                leadResponsible: {
                  organisationId: PSYK,
                  name: 'Psykiatriska kliniken',
                  ...REGION,
                  person: LARS,
                },
                followUp: { date: dateOf(saraDay0, 90), place: 'Psykiatriska kliniken' },
              },
            },
            PSYK,
          )
          .then(),
    },
    {
      // Held on day 90, recorded two days later.
      day: 92,
      at: '14:00',
      run: (p) =>
        p
          .post(
            '/follow-ups',
            {
              meeting: {
                heldAt: saraAt(90, '10:00'),
                attendees: [{ name: 'Sara Exempel' }],
                leader: { name: LARS.name },
              },
              progress: 'Behandlingen går framåt.',
              interventions: [],
              outcome: 'revised',
              nextFollowUp: { date: dateOf(saraDay0, 400), place: 'Psykiatriska kliniken' },
            },
            PSYK,
          )
          .then(),
    },
    {
      day: 200,
      at: '10:00',
      run: (p) => p.post(`/consents/${p.consentId(0)}/withdrawal`, { recipients: [MISSBRUK] }, PSYK).then(),
    },
    {
      // Renewed after the 30-day reminder (day 335), before the 7-day one.
      day: 340,
      at: '10:00',
      run: async (p) => {
        await p.post('/consents', consent('informationSharing', saraSharing, saraAt(340, '10:00')), PSYK);
        await p.post('/consents', consent('planEstablishment', saraSharing, saraAt(340, '10:00')), PSYK);
      },
    },
    {
      day: 400,
      at: '14:00',
      run: (p) =>
        p
          .post(
            '/follow-ups',
            {
              meeting: {
                heldAt: saraAt(400, '10:00'),
                attendees: [{ name: 'Sara Exempel' }],
                leader: { name: LARS.name },
              },
              progress: 'Sara behöver inte längre samordnade insatser.',
              interventions: [],
              outcome: 'closed',
              closure: {
                reason: 'needsMet',
                informed: ['Sara Exempel'],
                whereToTurn: 'Ring psykiatriska kliniken.',
              },
            },
            PSYK,
          )
          .then(),
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------
// 2. Leo, 14: school, child psychiatry and social services. Day 0 = 1 March 2027.

export const SKOLA = 'SE2120001801-E000000000050';
export const BUP = 'SE2321000131-E000000000051';
export const NEURO = 'SE2321000131-E000000000052';
export const SOC = 'SE2120001801-E000000000053';
/** The school's elevhälsa convenes; social services' family unit becomes lead responsible. */
export const SANNA = { name: 'Sanna Skola', email: 'sanna@example.se' };
export const SVEN = { name: 'Sven Socialsekreterare', email: 'sven@example.se' };
export const BUP_RECEPTION = { name: 'BUP-mottagningen', email: 'bup@example.se' };
export const FAMILY_UNIT = { name: 'Familjeenheten', email: 'soc@example.se' };
export const NEURO_TEAM = { name: 'Neuropsykiatriska teamet', email: 'neuro@example.se' };

const leoDay0 = '2027-03-01';
const leoAt = atOf(leoDay0);
const leoOrgs = [SKOLA, BUP, NEURO, SOC];
/** The football coach Leo trusts: invited, and given only Leo's goals and how he takes part. */
export const TRANARE = '802000-0009';
export const COACH = { name: 'Kim Tränare', email: 'kim.tranare@example.se' };
export const COACH_RELEASE = { organisationId: TRANARE, categories: ['goals'] };

export const leo: Story = {
  day0: leoDay0,
  lastDay: 70,
  steps: [
    {
      day: 0,
      at: '09:00',
      run: (p) =>
        p.create(
          {
            individual: {
              personalIdentity: { type: 'personnummer', value: '20121212-1212' },
              name: 'Leo Exempel',
            },
            initiation: {
              noticedAt: leoAt(0, '09:00'),
              trigger: 'professionalAssessment',
              noticedBy: { organisationId: SKOLA, name: 'Elevhälsan', person: SANNA },
            },
            representatives: [
              { kind: 'guardian', name: 'Vårdnadshavare 1', powers: ['consent', 'represent'] },
              { kind: 'guardian', name: 'Vårdnadshavare 2', powers: ['consent', 'represent'] },
            ],
            longTermGoal: 'Gå i skolan tre dagar i veckan före sommarlovet.',
            organisations: [
              unit(SKOLA, 'Skolan', 'skola', CITY),
              unit(BUP, 'BUP-mottagningen', 'barn- och ungdomspsykiatri', REGION),
              unit(NEURO, 'Neuropsykiatriska teamet', 'barn- och ungdomspsykiatri', REGION),
              unit(SOC, 'Familjeenheten', 'socialtjänst', CITY),
              {
                ...unit(
                  TRANARE,
                  'Fotbollsföreningen',
                  'förening',
                  { principal: 'other', principalName: 'Fotbollsföreningen' },
                  'invited',
                ),
                contactPerson: COACH,
              },
            ],
            convener: { organisationId: SKOLA, name: 'Skolan', person: SANNA },
          },
          SKOLA,
        ),
    },
    {
      day: 1,
      at: '10:00',
      run: async (p) => {
        const guardian = { kind: 'representative', representativeId: p.current().representatives[0].id };
        await p.post(
          '/consents',
          consent('informationSharing', [...leoOrgs, TRANARE], leoAt(1, '10:00'), guardian, [COACH_RELEASE]),
          SKOLA,
        );
        await p.post('/consents', consent('planEstablishment', leoOrgs, leoAt(1, '10:00'), guardian), SKOLA);
      },
    },
    {
      day: 4,
      at: '10:00',
      run: (p) =>
        p.post(
          '/invitations',
          {
            purpose: 'Planera stödet så att Leo kan gå i skolan.',
            questions: ['Vilka anpassningar behövs?'],
            startsAt: leoAt(18, '10:00'),
            place: { kind: 'municipalVenue', address: 'Skolan' },
            invitees: [
              { organisationId: BUP, contribution: 'Bedömning', contact: BUP_RECEPTION },
              { organisationId: SOC, contribution: 'Familjestöd', contact: FAMILY_UNIT },
              { organisationId: TRANARE, contribution: 'Leo litar på honom', contact: COACH },
            ],
          },
          SKOLA,
        ),
    },
    {
      day: 5,
      at: '09:00',
      run: (p) =>
        p.post(
          `/invitations/${p.invitationId()}/responses`,
          {
            organisationId: BUP,
            kind: 'forward',
            forwardedTo: {
              ...unit(NEURO, 'Neuropsykiatriska teamet', 'barn- och ungdomspsykiatri', REGION),
              contactPerson: NEURO_TEAM,
            },
          },
          BUP,
        ),
    },
    {
      day: 6,
      at: '09:00',
      run: (p) =>
        p.post(
          `/invitations/${p.invitationId()}/responses`,
          { organisationId: SOC, kind: 'attend', attendee: FAMILY_UNIT },
          SOC,
        ),
    },
    {
      day: 17,
      at: '09:00',
      run: (p) =>
        p.post(
          `/invitations/${p.invitationId()}/responses`,
          { organisationId: NEURO, kind: 'attend', attendee: NEURO_TEAM },
          NEURO,
        ),
    },
    {
      day: 18,
      at: '12:00',
      run: (p) =>
        p.post(
          '/establishment',
          {
            meeting: {
              heldAt: leoAt(18, '10:00'),
              attendees: [{ name: 'Leo Exempel' }],
              leader: { name: SANNA.name },
            },
            childsVoice: 'Leo var med en stund och sa att han vill gå i skolan.',
            content: {
              supportNeeds: ['Stöd att komma till skolan på morgonen.'],
              interventions: [
                intervention('Anpassat schema', SKOLA, dateOf(leoDay0, 19)),
                intervention('Utredning av adhd', NEURO, dateOf(leoDay0, 25)),
                intervention('Familjestöd en gång i veckan', SOC, dateOf(leoDay0, 20)),
              ],
              disagreements: ['Vårdnadshavarna och Leo är oense om schemat.'],
              leadResponsible: { organisationId: SOC, name: 'Familjeenheten', ...CITY, person: SVEN },
              followUp: { date: dateOf(leoDay0, 60), place: 'Skolan' },
            },
          },
          SKOLA,
        ),
    },
    {
      // Day 40 the family moves; the lead responsible calls an early follow-up, held on day 45.
      day: 45,
      at: '13:00',
      run: (p) =>
        p.post(
          '/follow-ups',
          {
            meeting: {
              heldAt: leoAt(45, '10:00'),
              attendees: [{ name: 'Leo Exempel' }],
              leader: { name: SVEN.name },
            },
            progress: 'Leo går i skolan två dagar i veckan.',
            newCircumstances: 'Familjen har flyttat.',
            interventions: [],
            outcome: 'revised',
            nextFollowUp: { date: dateOf(leoDay0, 100), place: 'Nya skolan' },
          },
          SOC,
        ),
    },
  ],
};
