import type { ApiRequest, ApiResponse } from '../../../shared/http/api.ts';
import { renderPlanDocument } from '../document/render.ts';
import { type Services, visiblePlan } from '../kit.ts';

/** GET /plans/{planId}/document: the plan as a print-ready page, with no script allowed to run in it. */
export async function planDocument(request: ApiRequest, services: Services): Promise<ApiResponse> {
  const plan = await visiblePlan(request, 'plan.read', services);
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'cache-control': 'no-store',
    },
    body: renderPlanDocument(plan),
  };
}
