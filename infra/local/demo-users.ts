/**
 * The demo directory of the local OpenID Provider: one or more people of every organisation in the three
 * scenarios (the team's SCENARIOS.md), each with the organisation, unit and roles their token carries.
 * Units of a region or a municipality are named by HSA-id; Försäkringskassan, Arbetsförmedlingen and the
 * football club by organisation number. Names and ids are invented (the HSA-id roots are the README's).
 */
import type { OrganisationIdKind } from '../../shared/domain/organisation-id.ts';

/** What a token may let its holder do: the API's scopes. */
export type Role = 'sip.read' | 'sip.write' | 'report.read';

export interface DemoOrganisation {
  id: string;
  idKind: OrganisationIdKind;
  name: string;
  /** huvudman: the region, the municipality, or another (a state agency, an association). */
  principalName: string;
}

export interface DemoUser {
  /** The token's user claim (`sub` by default): an opaque id, never a personnummer. */
  userId: string;
  name: string;
  title: string;
  organisation: DemoOrganisation;
  unitId?: string;
  roles: Role[];
  /** Which scenario of SCENARIOS.md the person acts in. */
  scenario: 1 | 2 | 3;
}

const VGR = 'Västra Götalandsregionen';
const GBG = 'Göteborgs Stad';
const org = (id: string, name: string, principalName: string, idKind: OrganisationIdKind = 'hsaId') => ({
  id,
  idKind,
  name,
  principalName,
});

export const DEMO_ORGANISATIONS = {
  vardcentral: org('SE2321000131-E000000000001', 'Vårdcentralen Centrum', VGR),
  hemtjanst: org('SE2120001801-E000000000010', 'Hemtjänsten Centrum', GBG),
  hemsjukvard: org('SE2120001801-E000000000011', 'Hemsjukvården Centrum', GBG),
  geriatrik: org('SE2321000131-E000000000020', 'Geriatriska teamet', VGR),
  skola: org('SE2120001801-E000000000050', 'Västerskolan, elevhälsan', GBG),
  bup: org('SE2321000131-E000000000060', 'BUP Göteborg, mottagningen', VGR),
  bupNp: org('SE2321000131-E000000000061', 'BUP Göteborg, neuropsykiatriska teamet', VGR),
  familjeenhet: org('SE2120001801-E000000000070', 'Socialtjänsten, familjeenheten', GBG),
  fotbollsklubb: org(
    '802400-1235',
    'IK Exempel, fotboll',
    'IK Exempel (ideell förening)',
    'organisationNumber',
  ),
  psykiatri: org('SE2321000131-E000000000080', 'Psykiatriska kliniken', VGR),
  beroendemottagning: org('SE2321000131-E000000000081', 'Beroendemottagningen', VGR),
  beroendeenhet: org('SE2120001801-E000000000090', 'Beroendeenheten', GBG),
  forsakringskassan: org('202100-5521', 'Försäkringskassan', 'Staten', 'organisationNumber'),
  arbetsformedlingen: org('202100-2114', 'Arbetsförmedlingen', 'Staten', 'organisationNumber'),
} satisfies Record<string, DemoOrganisation>;

const o = DEMO_ORGANISATIONS;
const READ_WRITE: Role[] = ['sip.read', 'sip.write'];

export const DEMO_USERS: readonly DemoUser[] = [
  {
    userId: 'anna.andersson',
    name: 'Anna Andersson',
    title: 'Sjuksköterska',
    organisation: o.vardcentral,
    unitId: 'vardcentralen-centrum',
    roles: READ_WRITE,
    scenario: 1,
  },
  {
    userId: 'analys',
    name: 'Alva Analytiker',
    title: 'Verksamhetsutvecklare',
    organisation: o.vardcentral,
    roles: ['report.read'],
    scenario: 1,
  },
  {
    userId: 'bo.b',
    name: 'Bo Biståndshandläggare',
    title: 'Biståndshandläggare',
    organisation: o.hemtjanst,
    unitId: 'hemtjanst-centrum',
    roles: READ_WRITE,
    scenario: 1,
  },
  {
    userId: 'hanna.holm',
    name: 'Hanna Holm',
    title: 'Distriktssköterska',
    organisation: o.hemsjukvard,
    unitId: 'hemsjukvard-centrum',
    roles: READ_WRITE,
    scenario: 1,
  },
  {
    userId: 'karin.berg',
    name: 'Karin Berg',
    title: 'Läkare',
    organisation: o.geriatrik,
    unitId: 'geriatrik-avd-3',
    roles: READ_WRITE,
    scenario: 1,
  },
  {
    userId: 'sofia.skolkurator',
    name: 'Sofia Lund',
    title: 'Skolkurator',
    organisation: o.skola,
    unitId: 'elevhalsan',
    roles: READ_WRITE,
    scenario: 2,
  },
  {
    userId: 'bertil.bup',
    name: 'Bertil Ek',
    title: 'Psykolog',
    organisation: o.bup,
    unitId: 'bup-mottagning',
    roles: READ_WRITE,
    scenario: 2,
  },
  {
    userId: 'nora.np',
    name: 'Nora Nilsson',
    title: 'Specialistläkare',
    organisation: o.bupNp,
    unitId: 'np-teamet',
    roles: READ_WRITE,
    scenario: 2,
  },
  {
    userId: 'fredrik.familj',
    name: 'Fredrik Holm',
    title: 'Socialsekreterare',
    organisation: o.familjeenhet,
    unitId: 'familjeenheten',
    roles: READ_WRITE,
    scenario: 2,
  },
  {
    userId: 'tranare.ola',
    name: 'Ola Tränare',
    title: 'Fotbollstränare',
    organisation: o.fotbollsklubb,
    roles: ['sip.read'],
    scenario: 2,
  },
  {
    userId: 'petra.psyk',
    name: 'Petra Persson',
    title: 'Kurator',
    organisation: o.psykiatri,
    unitId: 'psykiatri-oppenvard',
    roles: READ_WRITE,
    scenario: 3,
  },
  {
    userId: 'mats.beroende',
    name: 'Mats Berg',
    title: 'Sjuksköterska',
    organisation: o.beroendemottagning,
    roles: READ_WRITE,
    scenario: 3,
  },
  {
    userId: 'eva.beroendeenhet',
    name: 'Eva Ek',
    title: 'Socialsekreterare',
    organisation: o.beroendeenhet,
    unitId: 'beroendeenheten',
    roles: READ_WRITE,
    scenario: 3,
  },
  {
    userId: 'fk.handlaggare',
    name: 'Frida Karlsson',
    title: 'Handläggare',
    organisation: o.forsakringskassan,
    unitId: 'lfc-goteborg',
    roles: READ_WRITE,
    scenario: 3,
  },
  {
    userId: 'af.handlaggare',
    name: 'Adam Fors',
    title: 'Arbetsförmedlare',
    organisation: o.arbetsformedlingen,
    unitId: 'af-goteborg',
    roles: READ_WRITE,
    scenario: 3,
  },
];

/** The demo user with `userId`, if there is one. */
export const demoUser = (userId: string): DemoUser | undefined => DEMO_USERS.find((u) => u.userId === userId);
