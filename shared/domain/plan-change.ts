/**
 * The one way a plan changes. A PATCH, each process command and the service's own writes all end here:
 * the next version, its revision, and the checks every stored plan passes — the schema and the invariants
 * of its status. What comes out is written by one store call (`PlanStore.saveAll`) in one transaction.
 */
import { assertInvariants } from './invariants.ts';
import type { Actor } from './people.ts';
import { Plan, type Revision } from './plan.ts';
import { nextVersion } from './plan-edits.ts';

/** One plan write: the new state, the state it replaces (none for a new plan) and its revision. */
export interface PlanChange {
  plan: Plan;
  previous?: Plan | undefined;
  revision: Revision;
}

/** A new plan as it is stored: version 1, its `create` revision naming the parts it was created with. */
export function planCreated(plan: Plan, changes: string[]): PlanChange {
  assertStorable(plan);
  return { plan, revision: revisionOf(plan, 'create', changes) };
}

/**
 * `candidate` as the next version of `previous`, by `action` (`patch`, a command's name): undefined when
 * nothing changed (no new version is made). Refuses when the candidate breaks an invariant.
 */
export function planChanged(
  previous: Plan,
  candidate: Plan,
  action: string,
  context: { actor: Actor; now: Date },
  organisations?: string[],
): PlanChange | undefined {
  const edit = nextVersion(previous, candidate, context);
  if (edit.changes.length === 0) return undefined;
  assertStorable(edit.plan);
  const revision = revisionOf(edit.plan, action, edit.changes);
  return {
    plan: edit.plan,
    previous,
    revision: organisations?.length ? { ...revision, organisations } : revision,
  };
}

/** Every stored plan keeps the invariants of its status and is valid as a whole. */
function assertStorable(plan: Plan): void {
  assertInvariants(plan);
  const result = Plan.safeParse(plan);
  // Plans are built from validated parts; one that is still not valid is a bug, never written.
  if (!result.success) {
    const paths = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`a change produced an invalid plan at ${paths}`);
  }
}

function revisionOf(plan: Plan, action: string, changes: string[]): Revision {
  return {
    planId: plan.planId,
    version: plan.version,
    action,
    at: plan.updatedAt,
    by: plan.updatedBy,
    changes,
  };
}
