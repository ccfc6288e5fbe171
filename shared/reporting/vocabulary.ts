/**
 * The report in Swedish, for the formats people read (CSV, xlsx, HTML): column headings, period types,
 * kinds of principal, indicators, categories and units. The JSON keeps its stable English keys; this is
 * the one place that translates them, documented side by side in docs/reports.md.
 */
import type { Period } from './period.ts';
import type { PrincipalKind } from './principals.ts';
import type { Column, ReportRow } from './report.ts';

/** The column headings of the CSV (and the xlsx's sheets), keyed by the JSON's member names. */
export const HEADINGS = {
  period: 'Period',
  from: 'Från',
  to: 'Till',
  principal: 'Huvudman (kod)',
  principalKind: 'Typ av huvudman',
  indicator: 'Indikator',
  category: 'Kategori',
  unit: 'Enhet',
  children: 'Barn 0–17 år',
  adults: 'Vuxna 18–64 år',
  older: 'Äldre 65+ år',
  unknownAge: 'Okänd ålder',
  total: 'Totalt',
  label: 'Beskrivning',
} as const satisfies Record<string, string>;

export const PERIOD_TYPES: Record<Period['type'], string> = {
  month: 'månad',
  quarter: 'kvartal',
  year: 'år',
  months: 'månader',
};

export const PRINCIPAL_KINDS: Record<PrincipalKind, string> = { region: 'region', municipality: 'kommun' };

export const UNITS: Record<ReportRow['unit'], string> = { count: 'antal', percent: 'procent', days: 'dagar' };

/** Each indicator's Swedish name (at most 31 characters: it also names the indicator's sheet in the xlsx). */
export const INDICATOR_NAMES: Record<string, string> = {
  initiated: 'Påbörjade',
  established: 'Upprättade',
  meetingAfterNeed: 'Möte efter behov',
  kallelseAfterDischarge: 'Kallelse efter utskrivningsklar',
  followUps: 'Uppföljningar',
  closed: 'Avslutade',
  endOfPeriod: 'Vid periodens slut',
};

const TOTAL = 'totalt';

/** Each indicator's categories in Swedish. */
export const CATEGORY_NAMES: Record<string, Record<string, string>> = {
  initiated: {
    discharge: 'utskrivning från slutenvård',
    ownRequest: 'egen begäran',
    nextOfKinRequest: 'närståendes begäran',
    professionalAssessment: 'professionell bedömning',
    other: 'annat',
    total: TOTAL,
  },
  established: { AU124: 'KVÅ AU124', AU125: 'KVÅ AU125', total: TOTAL },
  meetingAfterNeed: { shareWithin21Days: 'andel inom 21 dagar', medianDays: 'mediantid' },
  kallelseAfterDischarge: {
    sent: 'skickade',
    shareWithin3Days: 'andel inom 3 dagar',
    medianDays: 'mediantid',
  },
  followUps: { held: 'genomförda', shareByPlannedDate: 'andel senast planerat datum' },
  closed: {
    needsMet: 'behov tillgodosett',
    noNewNeedsExpected: 'inga nya behov väntas',
    consentWithdrawn: 'samtycke återkallat',
    goalChanged: 'mål ändrat (omstart)',
    other: 'annan orsak',
    consentRefused: 'samtycke nekat',
    requestRefused: 'begäran avslagen',
    notNeeded: 'SIP behövs inte',
    total: TOTAL,
  },
  endOfPeriod: {
    active: 'pågående',
    lapsedConsent: 'upphört samtycke',
    overdueFollowUp: 'försenad uppföljning',
  },
};

/** A column heading. */
export const headingOf = (column: Column | keyof typeof HEADINGS) => HEADINGS[column];
/** An indicator in Swedish (the key itself for one this table does not know: visible, never dropped). */
export const indicatorName = (indicator: string) => INDICATOR_NAMES[indicator] ?? indicator;
/** A category in Swedish. */
export const categoryName = (indicator: string, category: string) =>
  CATEGORY_NAMES[indicator]?.[category] ?? category;
/** How a region or municipality is named where only its code is known: `Kommun 0180`, `Region 01`. */
export const principalTitle = (code: string, kind: PrincipalKind) =>
  `${kind === 'region' ? 'Region' : 'Kommun'} ${code}`;

const MONTH_NAMES = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
];
/** `2026-03` → `mars 2026`. */
export const monthName = (month: string) =>
  `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
