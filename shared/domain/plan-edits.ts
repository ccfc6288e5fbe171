/**
 * Creating a plan and editing its editable parts. Pure: the caller passes the actor, `now` and an id source.
 */
import { changedPaths } from './changes.ts';
import { assertHappened } from './commands/moments.ts';
import { ValidationError } from './errors.ts';
import { applyMergePatch } from './json-merge-patch.ts';
import type { Actor } from './people.ts';
import { canonicalPersonalIdentity } from './personal-identity.ts';
import { type CreatePlanRequest, EDITABLE_PARTS, EditableParts, type Plan } from './plan.ts';
import { toStockholmDate, toStockholmTimestamp } from './time.ts';
import { parseOrThrow } from './validation.ts';

export interface EditContext {
  actor: Actor;
  now: Date;
  /** Source of new ids for the parts of a plan that other records refer to. */
  newId: () => string;
}

/** A new plan, status `initiated`, version 1. The convener defaults to whoever noticed the need. */
export function newPlan(request: CreatePlanRequest, planId: string, context: EditContext): Plan {
  assertHappened(request.initiation.noticedAt, context.now, '/initiation/noticedAt');
  const stamp = toStockholmTimestamp(context.now);
  const editable = normalise(request, context);
  return {
    planId,
    status: 'initiated',
    version: 1,
    initiation: request.initiation,
    ...editable,
    convener: editable.convener ?? request.initiation.noticedBy,
    consents: [],
    invitations: [],
    meetings: [],
    followUps: [],
    notices: [],
    createdAt: stamp,
    createdBy: context.actor,
    updatedAt: stamp,
    updatedBy: context.actor,
  };
}

export interface PlanEdit {
  plan: Plan;
  /** JSON Pointers of what changed; empty when the patch changed nothing (and no new version is made). */
  changes: string[];
}

/** Applies a JSON Merge Patch to the editable parts, as the next version (see {@link patchedPlan}). */
export function editPlan(plan: Plan, patch: unknown, context: EditContext): PlanEdit {
  return nextVersion(plan, patchedPlan(plan, patch, context), context);
}

/**
 * The plan with a JSON Merge Patch applied to its editable parts, not yet a new version (see
 * `plan-change.ts`). The patch may name only editable parts; the merged result must validate as a whole,
 * and errors point at the same paths the patch uses.
 */
export function patchedPlan(plan: Plan, patch: unknown, context: EditContext): Plan {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new ValidationError([{ pointer: '', detail: 'a merge patch must be a JSON object' }]);
  }
  const notEditable = Object.keys(patch).filter((key) => !(EDITABLE_PARTS as string[]).includes(key));
  if (notEditable.length > 0) {
    throw new ValidationError(
      notEditable.map((key) => ({
        pointer: `/${key}`,
        detail: Object.hasOwn(plan, key)
          ? 'not editable: written by the service or by a process command'
          : 'unknown field',
      })),
    );
  }
  if ((patch as Record<string, unknown>).convener === null) {
    throw new ValidationError([
      { pointer: '/convener', detail: 'the convener can be changed but not removed' },
    ]);
  }
  const current = Object.fromEntries(EDITABLE_PARTS.map((key) => [key, plan[key]]));
  const merged = parseOrThrow(EditableParts, applyMergePatch(current, patch));
  const editable = normalise(merged, context);
  const serviceOwned = Object.fromEntries(
    Object.entries(plan).filter(([key]) => !(EDITABLE_PARTS as string[]).includes(key)),
  );
  return { ...serviceOwned, ...editable, convener: editable.convener ?? plan.convener } as Plan;
}

/**
 * The next version of a plan: what changed, and the candidate stamped with version, time and actor.
 * A candidate identical to the plan makes no new version.
 */
export function nextVersion(
  plan: Plan,
  candidate: Plan,
  context: Pick<EditContext, 'actor' | 'now'>,
): PlanEdit {
  const changes = changedPaths(plan, candidate);
  if (changes.length === 0) return { plan, changes };
  return {
    plan: {
      ...candidate,
      version: plan.version + 1,
      updatedAt: toStockholmTimestamp(context.now),
      updatedBy: context.actor,
    },
    changes,
  };
}

/** Canonical personal identity, and ids for the entries that other records refer to. */
function normalise(parts: EditableParts, context: EditContext): EditableParts {
  const identity = parts.individual.personalIdentity;
  let individual = parts.individual;
  if (identity.type !== 'reservnummer') {
    const canonical = canonicalPersonalIdentity(identity.value, toStockholmDate(context.now));
    if (!canonical) {
      throw new ValidationError([
        {
          pointer: '/individual/personalIdentity/value',
          detail: 'not a valid date of birth, or one in the future',
        },
      ]);
    }
    individual = { ...individual, personalIdentity: { ...identity, value: canonical } };
  }
  const withId = <T extends { id?: string | undefined }>(items: T[] | undefined) =>
    items?.map((item) => (item.id ? item : { ...item, id: context.newId() }));
  const content = parts.content && {
    ...parts.content,
    ...(parts.content.interventions && { interventions: withId(parts.content.interventions) }),
    ...(parts.content.otherActions && { otherActions: withId(parts.content.otherActions) }),
  };
  return withoutUndefined({
    ...parts,
    individual,
    representatives: withId(parts.representatives),
    subGoals: withId(parts.subGoals),
    content,
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
