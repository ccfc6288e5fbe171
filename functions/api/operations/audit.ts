import { type Services, visiblePlan } from '../../../shared/application/kit.ts';
import type { ApiRequest, ApiResponse } from '../../../shared/http/api.ts';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.ts';
import { parseQuery } from '../../../shared/http/query.ts';
import { PageQuery } from '../../../shared/http/routes.ts';

/** Audit sort keys: `<UTC ISO time>#<request id>` (API Gateway's ids are base64: `Rq0XQhKtIAMEPeA=`). */
const AUDIT_KEY = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w=+/-]{1,64}$/;

/** GET /plans/{planId}/audit: the plan's log extract, oldest first. Reading it is itself logged. */
export async function planAuditLog(request: ApiRequest, services: Services): Promise<ApiResponse> {
  const plan = await visiblePlan(request, 'plan.audit', services);
  const query = parseQuery(PageQuery, request.query);
  const page = await services.audit.forPlan(plan.planId, {
    limit: query.limit ?? 50,
    after: decodeCursor(query.cursor, (value) => AUDIT_KEY.test(value)),
  });
  return {
    status: 200,
    body: { items: page.items, ...(page.last && { nextCursor: encodeCursor(page.last) }) },
  };
}
