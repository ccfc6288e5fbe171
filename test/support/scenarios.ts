import { ROUTES } from '../../shared/http/routes.ts';

/**
 * Plans from ../shared/SCENARIOS.md as request bodies. Identity numbers pass the Luhn check but belong to
 * no one we know of; names and organisations are invented.
 */
export const VARDCENTRAL = 'SE2321000131-E000000000001';
export const HEMTJANST = 'SE2120001801-E000000000010';
export const GERIATRIK = 'SE2321000131-E000000000020';

/** The geriatric team's colleagues under the same region, to whom a kallelse can be forwarded. */
export const GERIATRIK_OSTER = {
  organisationId: 'SE2321000131-E000000000021',
  name: 'Geriatriska teamet Öster',
  principal: 'region',
  principalName: 'Västra Götalandsregionen',
  unitKind: 'geriatrik',
  participation: 'summoned',
  contactPerson: { name: 'Per Persson', email: 'per.persson@example.se' },
};

const anna = {
  name: 'Anna Andersson',
  title: 'Sjuksköterska',
  email: 'anna.andersson@example.se',
  mobile: '+46701234567',
};

/** Scenario 1: Elsa, 84, discharged from the geriatric ward; a plan with full content. */
export const elsa = {
  individual: {
    personalIdentity: { type: 'personnummer', value: '19420315-2386' },
    name: 'Elsa Exempel',
    contact: {
      address: { street: 'Storgatan 1', postalCode: '411 05', city: 'Göteborg' },
      phone: '031-123456',
    },
    communication: {
      language: 'sv',
      interpreterNeeded: false,
      adaptedInformation: 'Stor text, läses upp vid behov.',
    },
  },
  initiation: {
    noticedAt: '2026-11-02T10:00:00+01:00',
    trigger: 'discharge',
    noticedBy: {
      organisationId: GERIATRIK,
      name: 'Geriatriska avdelningen',
      person: { name: 'Karin Berg', email: 'karin.berg@example.se' },
    },
  },
  representatives: [
    {
      kind: 'nextOfKin',
      name: 'Maria Exempel',
      relation: 'dotter',
      powers: ['attendMeetings', 'receiveInformation'],
      individualConsented: true,
    },
  ],
  participation: { ways: ['digital'], digitalMeetingAgreed: true, nextOfKinMayTakePart: true },
  longTermGoal: 'Att kunna bo kvar hemma och gå till affären själv.',
  subGoals: [{ text: 'Gå till brevlådan utan rollator inom åtta veckor.' }],
  organisations: [
    {
      organisationId: VARDCENTRAL,
      name: 'Vårdcentralen Centrum',
      principal: 'region',
      principalName: 'Västra Götalandsregionen',
      unitKind: 'vårdcentral',
      participation: 'summoned',
      contactPerson: anna,
    },
    {
      organisationId: HEMTJANST,
      name: 'Hemtjänsten Centrum',
      principal: 'municipality',
      principalName: 'Göteborgs Stad',
      unitKind: 'hemtjänst',
      participation: 'summoned',
    },
    {
      organisationId: GERIATRIK,
      name: 'Geriatriska teamet',
      principal: 'region',
      principalName: 'Västra Götalandsregionen',
      unitKind: 'geriatrik',
      participation: 'summoned',
    },
  ],
  convener: { organisationId: VARDCENTRAL, name: 'Vårdcentralen Centrum', person: anna },
  content: {
    selfActions: ['Sköter sin personliga hygien själv.'],
    supportNeeds: ['Hjälp med måltider och medicin.'],
    interventions: [
      {
        description: 'Hemtjänst två gånger om dagen',
        responsibleOrganisationId: HEMTJANST,
        performer: 'Hemtjänstgrupp Centrum',
        startDate: '2026-11-16',
        frequency: 'två gånger om dagen',
        place: 'hemmet',
        goal: 'Bo kvar hemma',
      },
      {
        description: 'Fysioterapi i hemmet',
        responsibleOrganisationId: GERIATRIK,
        performer: 'Fysioterapeut',
        startDate: '2026-11-18',
        endDate: '2027-01-13',
        frequency: 'en gång i veckan i åtta veckor',
        place: 'hemmet',
        goal: 'Gå till affären själv',
      },
    ],
    otherActions: [{ description: 'Handlar veckans mat', actor: 'Dottern Maria', frequency: 'varje vecka' }],
    leadResponsible: {
      organisationId: VARDCENTRAL,
      name: 'Vårdcentralen Centrum',
      principal: 'region',
      principalName: 'Västra Götalandsregionen',
      person: anna,
    },
    followUp: { date: '2027-01-09', place: 'Elsas hem' },
    individualAgrees: true,
  },
};

/** The minimal body the foundation issue says must be accepted: the example the API documents. */
export const minimal = ROUTES['POST /plans'].body.example;
