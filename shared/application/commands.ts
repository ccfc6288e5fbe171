/**
 * The process commands, for the API's routes and the workspace's forms alike: one operation for all of them.
 * Read the plan the caller may change,
 * replay a retry, check If-Match, parse the command's body, ask the policy whose command it is, run it,
 * and write the new version — with the new plan of a restart — in one transaction.
 */

import { COMMANDS, type CommandName, runCommand } from '../domain/commands/index.ts';
import { type PlanChange, planChanged, planCreated } from '../domain/plan-change.ts';
import { parseOrThrow } from '../domain/validation.ts';
import { type ApiRequest, type ApiResponse, readJsonBody, requireIfMatch } from '../http/api.ts';
import { type Action, decideWrite } from '../policy/policy.ts';
import { actorOf, commit, enforce, planResponse, replayed, type Services, visiblePlan } from './kit.ts';

/** The operation of a command route: `action` is the route's, as the policy and the gateway know it. */
export function commandOperation(name: CommandName, action: Action) {
  return async (request: ApiRequest, services: Services): Promise<ApiResponse> => {
    const current = await visiblePlan(request, action, services);
    // A retry is answered before If-Match: its first try moved the plan on, and the retry must not see 412.
    const replay = await replayed(request, services);
    if (replay) return replay;
    requireIfMatch(request, current.version);
    const body = parseOrThrow(COMMANDS[name].input, readJsonBody(request)) as Record<string, unknown>;
    const context = { actor: actorOf(request.caller), now: request.now, newId: () => services.newId() };
    // The ids of the record a command acts on (consentId, invitationId) come from the path.
    const { planId: _, ...recordIds } = request.pathParameters;
    const input = { ...body, ...recordIds };
    // Whose command it is comes first: a caller without the authority learns nothing from the process rules.
    let outcome: ReturnType<typeof runCommand> | undefined;
    let refusal: unknown;
    try {
      outcome = runCommand(name, current, input, context);
    } catch (error) {
      refusal = error;
    }
    const write = { kind: 'command' as const, name, input, previous: current, next: outcome?.plan };
    enforce(request, decideWrite(request.caller, request.now, write));
    if (!outcome) throw refusal;

    const changes: PlanChange[] = [];
    const changed = planChanged(current, outcome.plan, name, context, outcome.organisations);
    if (changed) changes.push(changed);
    const created = outcome.created && planCreated(outcome.created, ['/']);
    if (created) changes.push(created);
    const answer = created
      ? planResponse(request, 201, created.plan, { location: `/plans/${created.plan.planId}` })
      : planResponse(request, 200, changed?.plan ?? current);
    return commit(request, services, changes, answer);
  };
}
