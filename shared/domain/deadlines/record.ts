/**
 * What the service keeps of each reminder or delivery it handed on: enough to never send it twice. No content.
 * Kept beside the plan (`shared/store/reminder-book.ts`); plans written before that carry a list of them.
 */
import * as z from 'zod/mini';
import { OrganisationId, Timestamp, text } from '../schema.ts';

export const ReminderRecord = z.strictObject({
  /** `<deadline key>/<stage>`, or a delivery's id: one per deadline and stage, or per delivery. */
  id: text(300),
  deadlineKey: text(300),
  stage: text(50),
  /** When the stage fell due, and when the reminder was handed on. */
  dueAt: Timestamp,
  queuedAt: Timestamp,
  recipient: z.strictObject({
    /**
     * `invitee`: a kallelse; `participant`: an ending notice, to every participating organisation.
     * `invitees`: how plans written before the reminder book named a kallelse's recipients.
     */
    role: z.enum(['leadResponsible', 'convener', 'invitee', 'participant', 'invitees']),
    organisationId: OrganisationId,
  }),
  /** Not sent: a later stage of the same deadline was due at the same check (after downtime), and said it all. */
  superseded: z.optional(z.boolean()),
  /** Not sent: nobody to reach (no e-mail address, no mobile number). Counted and alarmed on. */
  undeliverable: z.optional(z.boolean()),
});
export type ReminderRecord = z.infer<typeof ReminderRecord>;
