/** The formats a report comes in: the names alone, for the route's query schema (which loads nothing else). */
export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
