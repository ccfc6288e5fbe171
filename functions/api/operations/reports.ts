/**
 * GET /reports/regional: parse, ask the policy whose figures, produce the report, answer in the format
 * asked for (JSON, CSV, xlsx or an HTML page with charts).
 */

import { authorize, enforce, type Services } from '../../../shared/application/kit.ts';
import type { ApiRequest, ApiResponse } from '../../../shared/http/api.ts';
import { parseQuery } from '../../../shared/http/query.ts';
import { RegionalReportQuery } from '../../../shared/http/routes.ts';
import { decideReport } from '../../../shared/policy/policy.ts';
import {
  CONTENT_TYPES,
  fileNameOf,
  REPORT_PAGE_POLICY,
  renderReport,
  toJsonDocument,
} from '../../../shared/reporting/formats.ts';
import { parsePeriod } from '../../../shared/reporting/period.ts';
import { kindOfCode, principalIdOf } from '../../../shared/reporting/principals.ts';
import { produceRegionalReport } from '../../../shared/reporting/produce.ts';

export async function regionalReport(request: ApiRequest, services: Services): Promise<ApiResponse> {
  // Whoever lacks the scope learns nothing more, not even whether the query was right.
  authorize(request, 'report.read');
  const register = services.reportRegister;
  const own = register.codeOf(principalIdOf(request.caller.organisationId));
  const reader = own === undefined ? undefined : { code: own, kind: kindOfCode(own) };
  const query = parseQuery(RegionalReportQuery, request.query);
  const period = parsePeriod(query.from, query.to);
  // A municipality's reader gets its own figures without asking; the region's gets every principal's.
  const principal = query.principal ?? (reader?.kind === 'municipality' ? reader.code : undefined);
  enforce(request, decideReport(request.caller, reader, principal));
  const format = query.format ?? 'json';
  const report = await produceRegionalReport(services.reports, {
    period,
    register,
    principal,
    byMonth: format === 'html',
  });
  if (format === 'json')
    return { status: 200, headers: { 'cache-control': 'no-store' }, body: toJsonDocument(report) };
  // The page opens in the browser; the files are saved.
  const disposition = format === 'html' ? 'inline' : 'attachment';
  return {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `${disposition}; filename="${fileNameOf(report, format, principal)}"`,
      'cache-control': 'no-store',
      ...(format === 'html' && { 'content-security-policy': REPORT_PAGE_POLICY }),
    },
    body: await renderReport(report, format),
  };
}
