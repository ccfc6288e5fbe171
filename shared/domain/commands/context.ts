import type { Actor } from '../people.ts';
import type { Plan } from '../plan.ts';

/** What every command is given besides the plan and its input. Nothing in a command reads a clock. */
export interface CommandContext {
  actor: Actor;
  now: Date;
  newId: () => string;
}

/** A command's outcome: the plan as it is to be written, and for a restart the new plan it opened. */
export interface CommandResult {
  plan: Plan;
  created?: Plan;
  /** The organisations whose access the command changed, for the revision to name (a withdrawal). */
  organisations?: string[];
}
