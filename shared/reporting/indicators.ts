/**
 * The indicators of the regional report, in the order an export lists them, with the Swedish label each
 * row carries. Count tables are suppressed as a whole (`suppression.ts`); shares and medians follow the
 * counts they are computed from.
 */
import { Trigger } from '../domain/plan.ts';
import { END_REASONS, type EndReason, type Stock } from './events.ts';

/** A table of counts: its categories are rows, the target groups columns; more than one row adds a total row. */
export interface CountFamily {
  kind: 'counts';
  indicator: string;
  categories: readonly string[];
  /** Where a category's counts are in the tally (`<key>:<category>`), or the state counted at the end. */
  source: { tally: string } | { stock: Stock };
  label: string;
  categoryLabels: Record<string, string>;
}

/** A share (percent) or a median (days), computed from counts that are not themselves published here. */
export interface Measure {
  kind: 'share' | 'median';
  indicator: string;
  category: string;
  /** The tally key of the measured counts (`<key>:within`, `<key>:later`) and of the days (`<key>`). */
  tally: string;
  /** The published count row the measure is about: shown only when that count is shown. */
  base: { indicator: string; category: string };
  label: string;
}

export type Indicator = CountFamily | Measure;

const TRIGGER_LABELS: Record<(typeof Trigger.options)[number], string> = {
  discharge: 'utskrivning från slutenvård',
  ownRequest: 'egen begäran',
  nextOfKinRequest: 'närståendes begäran',
  professionalAssessment: 'professionell bedömning',
  other: 'annat',
};

const END_LABELS: Record<EndReason, string> = {
  needsMet: 'behov av samordnade insatser finns inte längre',
  noNewNeedsExpected: 'inga nya behov väntas',
  consentWithdrawn: 'samtycket återkallat',
  goalChanged: 'långsiktigt mål ändrat (omstart)',
  other: 'annan orsak',
  consentRefused: 'samtycke nekat',
  requestRefused: 'begäran avslagen',
  notNeeded: 'SIP bedömd som inte behövd',
};

export const INDICATORS: readonly Indicator[] = [
  {
    kind: 'counts',
    indicator: 'initiated',
    categories: Trigger.options,
    source: { tally: 'initiated' },
    label: 'Påbörjade planer (behov uppmärksammat)',
    categoryLabels: TRIGGER_LABELS,
  },
  {
    kind: 'counts',
    indicator: 'established',
    categories: ['AU124', 'AU125'],
    source: { tally: 'established' },
    label: 'Upprättade planer',
    categoryLabels: { AU124: 'KVÅ AU124', AU125: 'KVÅ AU125, vid utskrivning från slutenvård' },
  },
  {
    kind: 'share',
    indicator: 'meetingAfterNeed',
    category: 'shareWithin21Days',
    tally: 'meetingAfterNeed',
    base: { indicator: 'established', category: 'total' },
    label: 'Andel SIP-möten inom 21 dagar från uppmärksammat behov',
  },
  {
    kind: 'median',
    indicator: 'meetingAfterNeed',
    category: 'medianDays',
    tally: 'meetingAfterNeed',
    base: { indicator: 'established', category: 'total' },
    label: 'Mediantid i dagar från uppmärksammat behov till SIP-möte',
  },
  {
    kind: 'counts',
    indicator: 'kallelseAfterDischarge',
    categories: ['sent'],
    source: { tally: 'kallelseAfterDischarge' },
    label: 'Kallelser efter utskrivningsklar',
    categoryLabels: { sent: 'skickade' },
  },
  {
    kind: 'share',
    indicator: 'kallelseAfterDischarge',
    category: 'shareWithin3Days',
    tally: 'kallelseAfterDischarge',
    base: { indicator: 'kallelseAfterDischarge', category: 'sent' },
    label: 'Andel kallelser inom 3 kalenderdagar från utskrivningsklar',
  },
  {
    kind: 'median',
    indicator: 'kallelseAfterDischarge',
    category: 'medianDays',
    tally: 'kallelseAfterDischarge',
    base: { indicator: 'kallelseAfterDischarge', category: 'sent' },
    label: 'Mediantid i dagar från utskrivningsklar till kallelse',
  },
  {
    kind: 'counts',
    indicator: 'followUps',
    categories: ['held'],
    source: { tally: 'followUps' },
    label: 'Genomförda uppföljningar',
    categoryLabels: { held: 'KVÅ AW010' },
  },
  {
    kind: 'share',
    indicator: 'followUps',
    category: 'shareByPlannedDate',
    tally: 'followUps',
    base: { indicator: 'followUps', category: 'held' },
    label: 'Andel uppföljningar senast planerat datum',
  },
  {
    kind: 'counts',
    indicator: 'closed',
    categories: END_REASONS,
    source: { tally: 'closed' },
    label: 'Avslutade planer',
    categoryLabels: END_LABELS,
  },
  {
    kind: 'counts',
    indicator: 'endOfPeriod',
    categories: ['active'],
    source: { stock: 'active' },
    label: 'Vid periodens slut',
    categoryLabels: { active: 'pågående planer' },
  },
  {
    kind: 'counts',
    indicator: 'endOfPeriod',
    categories: ['lapsedConsent'],
    source: { stock: 'lapsedConsent' },
    label: 'Vid periodens slut',
    categoryLabels: { lapsedConsent: 'pågående planer med upphört samtycke' },
  },
  {
    kind: 'counts',
    indicator: 'endOfPeriod',
    categories: ['overdueFollowUp'],
    source: { stock: 'overdueFollowUp' },
    label: 'Vid periodens slut',
    categoryLabels: { overdueFollowUp: 'planer med försenad uppföljning' },
  },
];
