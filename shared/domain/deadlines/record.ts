/** What the plan keeps of each reminder handed on for delivery: enough to never send it twice. No content. */
import * as z from 'zod/mini';
import { OrganisationId, Timestamp, text } from '../schema.ts';

export const ReminderRecord = z.strictObject({
  /** `<deadline key>/<stage>`: one per deadline and stage. */
  id: text(300),
  deadlineKey: text(300),
  stage: text(50),
  /** When the stage fell due, and when the reminder was handed on. */
  dueAt: Timestamp,
  queuedAt: Timestamp,
  recipient: z.strictObject({
    role: z.enum(['leadResponsible', 'convener', 'invitees']),
    organisationId: OrganisationId,
  }),
  /** Not sent: a later stage of the same deadline was due at the same check (after downtime), and said it all. */
  superseded: z.optional(z.boolean()),
  /** Not sent: nobody to reach (no e-mail address, no mobile number). Counted and alarmed on. */
  undeliverable: z.optional(z.boolean()),
});
export type ReminderRecord = z.infer<typeof ReminderRecord>;
