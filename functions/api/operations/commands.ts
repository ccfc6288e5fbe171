/**
 * The process commands over HTTP: one operation for all of them. Read the plan the caller may change,
 * check If-Match, parse the command's body, run it through the lifecycle, and write the new version and
 * its revision — with the new plan of a restart — in one transaction.
 */
import { COMMANDS, type CommandName, runCommand } from '../../../shared/domain/commands/index.ts';
import { Plan } from '../../../shared/domain/plan.ts';
import { nextVersion } from '../../../shared/domain/plan-edits.ts';
import { parseOrThrow } from '../../../shared/domain/validation.ts';
import { type ApiRequest, type ApiResponse, readJsonBody, requireIfMatch } from '../../../shared/http/api.ts';
import type { Action } from '../../../shared/policy/policy.ts';
import { decideResult } from '../../../shared/policy/policy.ts';
import type { PlanWrite } from '../../../shared/store/plan-store.ts';
import {
  actorOf,
  enforce,
  planResponse,
  revisionOf,
  type Services,
  saveAudited,
  visiblePlan,
} from './plans.ts';

/** The operation of a command route: `action` is the route's, as the policy and the gateway know it. */
export function commandOperation(name: CommandName, action: Action) {
  return async (request: ApiRequest, services: Services): Promise<ApiResponse> => {
    const current = await visiblePlan(request, action, services);
    requireIfMatch(request, current.version);
    const body = parseOrThrow(COMMANDS[name].input, readJsonBody(request));
    const context = { actor: actorOf(request.caller), now: request.now, newId: () => services.newId() };
    // The ids of the record a command acts on (consentId, invitationId) come from the path.
    const { planId: _, ...recordIds } = request.pathParameters;
    const { plan, created } = runCommand(name, current, { ...body, ...recordIds }, context);
    const edit = nextVersion(current, plan, context);
    // The same checks as an edit: the caller stays in the plan, and the convener's and lead's roles pass
    // only by their holders' hand, to an organisation a valid consent names.
    enforce(request, decideResult(request.caller, request.now, edit.plan, current));
    const writes: PlanWrite[] = [];
    if (edit.changes.length > 0) {
      writes.push({
        plan: assertValid(edit.plan),
        previous: current,
        revision: revisionOf(edit.plan, name, edit.changes),
      });
    }
    if (created) writes.push({ plan: assertValid(created), revision: revisionOf(created, 'create', ['/']) });
    const status = created ? 201 : 200;
    if (writes.length > 0) await saveAudited(request, services, status, writes);
    if (created) return planResponse(201, created, { location: `/plans/${created.planId}` });
    return planResponse(200, edit.plan);
  };
}

/** Commands build plans from validated parts; a plan that is still not valid is a bug, never written. */
function assertValid(plan: Plan): Plan {
  const result = Plan.safeParse(plan);
  if (!result.success) {
    const paths = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`a command produced an invalid plan at ${paths}`);
  }
  return plan;
}
