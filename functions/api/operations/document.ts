import { createHash } from 'node:crypto';
import { callerView, releasedToCaller, type Services, visiblePlan } from '../../../shared/application/kit.ts';
import { DOCUMENT_POLICY, renderPlanDocument } from '../../../shared/html/plan-document.tsx';
import type { ApiRequest, ApiResponse } from '../../../shared/http/api.ts';

/**
 * GET /plans/{planId}/document: the plan as a print-ready page, with no script allowed to run in it. Its
 * ETag is a digest of the page itself: the page changes with the plan and with how it is written, and the
 * plan's version alone would miss the latter.
 */
export async function planDocument(request: ApiRequest, services: Services): Promise<ApiResponse> {
  const plan = await visiblePlan(request, 'plan.read', services);
  const released = releasedToCaller(request, plan);
  const page = renderPlanDocument(callerView(request, plan, released), released);
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': DOCUMENT_POLICY,
      'cache-control': 'no-store',
      etag: `"${createHash('sha256').update(page).digest('base64url').slice(0, 22)}"`,
    },
    body: page,
  };
}
