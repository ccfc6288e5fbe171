/**
 * The CSV as a spreadsheet reads it, turned back into the JSON's English keys with the vocabulary as
 * docs/reports.md documents it — written out here, not taken from the code, so a wrong translation fails.
 */
import { expect } from 'vitest';

export const SWEDISH_HEADINGS: Record<string, string> = {
  Period: 'period',
  Från: 'from',
  Till: 'to',
  'Huvudman (kod)': 'principal',
  'Typ av huvudman': 'principalKind',
  Indikator: 'indicator',
  Kategori: 'category',
  Enhet: 'unit',
  'Barn 0–17 år': 'children',
  'Vuxna 18–64 år': 'adults',
  'Äldre 65+ år': 'older',
  'Okänd ålder': 'unknownAge',
  Totalt: 'total',
  Beskrivning: 'label',
};

const PERIODS: Record<string, string> = { månad: 'month', kvartal: 'quarter', år: 'year', månader: 'months' };
const KINDS: Record<string, string> = { region: 'region', kommun: 'municipality' };
const UNITS: Record<string, string> = { antal: 'count', procent: 'percent', dagar: 'days' };
export const SWEDISH_INDICATORS: Record<string, string> = {
  Påbörjade: 'initiated',
  Upprättade: 'established',
  'Möte efter behov': 'meetingAfterNeed',
  'Kallelse efter utskrivningsklar': 'kallelseAfterDischarge',
  Uppföljningar: 'followUps',
  Avslutade: 'closed',
  'Vid periodens slut': 'endOfPeriod',
};
/** Per indicator (`other` and `total` mean different things in different ones). */
export const SWEDISH_CATEGORIES: Record<string, Record<string, string>> = {
  initiated: {
    'utskrivning från slutenvård': 'discharge',
    'egen begäran': 'ownRequest',
    'närståendes begäran': 'nextOfKinRequest',
    'professionell bedömning': 'professionalAssessment',
    annat: 'other',
    totalt: 'total',
  },
  established: { 'KVÅ AU124': 'AU124', 'KVÅ AU125': 'AU125', totalt: 'total' },
  meetingAfterNeed: { 'andel inom 21 dagar': 'shareWithin21Days', mediantid: 'medianDays' },
  kallelseAfterDischarge: {
    skickade: 'sent',
    'andel inom 3 dagar': 'shareWithin3Days',
    mediantid: 'medianDays',
  },
  followUps: { genomförda: 'held', 'andel senast planerat datum': 'shareByPlannedDate' },
  closed: {
    'behov tillgodosett': 'needsMet',
    'inga nya behov väntas': 'noNewNeedsExpected',
    'samtycke återkallat': 'consentWithdrawn',
    'mål ändrat (omstart)': 'goalChanged',
    'annan orsak': 'other',
    'samtycke nekat': 'consentRefused',
    'begäran avslagen': 'requestRefused',
    'SIP behövs inte': 'notNeeded',
    totalt: 'total',
  },
  endOfPeriod: {
    pågående: 'active',
    'upphört samtycke': 'lapsedConsent',
    'försenad uppföljning': 'overdueFollowUp',
  },
};

const known = (table: Record<string, string>, value: string, what: string) => {
  const key = table[value];
  expect(key, `${what} "${value}"`).toBeDefined();
  return key as string;
};

/** One CSV line's row, in the JSON's terms. */
export function englishRow(swedish: Record<string, string>): Record<string, string> {
  const row: Record<string, string> = {};
  for (const [heading, value] of Object.entries(swedish))
    row[known(SWEDISH_HEADINGS, heading, 'heading')] = value;
  row.period = known(PERIODS, row.period ?? '', 'period');
  row.principalKind = known(KINDS, row.principalKind ?? '', 'kind of principal');
  row.indicator = known(SWEDISH_INDICATORS, row.indicator ?? '', 'indicator');
  row.category = known(SWEDISH_CATEGORIES[row.indicator] ?? {}, row.category ?? '', 'category');
  row.unit = known(UNITS, row.unit ?? '', 'unit');
  return row;
}

/** The CSV as a spreadsheet would read it: rows by principal, indicator and category, in English keys. */
export function readCsv(csv: string) {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const [header, ...lines] = csv.slice(1).trimEnd().split('\r\n');
  const columns = (header ?? '').split(';');
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines) {
    const cells = line.split(';');
    const row = englishRow(Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ''])));
    rows.set(`${row.principal}|${row.indicator}|${row.category}`, row);
  }
  return { columns, rows };
}
