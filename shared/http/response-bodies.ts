/**
 * The bodies of responses that are not a model of their own (deadlines, the regional report), for the API
 * description only: nothing parses with them. A test checks real responses against the generated document,
 * so these cannot drift from what the operations send.
 */
import * as z from 'zod/mini';
import { DEADLINE_KINDS, type DeadlineKind } from '../domain/deadlines/deadlines.ts';
import { PLAN_ENDINGS } from '../domain/deadlines/deliveries.ts';
import { ReminderRecord } from '../domain/deadlines/record.ts';
import { PlanStatus } from '../domain/plan.ts';
import { CalendarDate, Id, OrganisationId, Timestamp } from '../domain/schema.ts';
import { TARGET_GROUPS } from '../reporting/events.ts';

/** The deadline kinds, as the deadline rules declare them. */
const DeadlineKindSchema = z.enum(DEADLINE_KINDS as [DeadlineKind, ...DeadlineKind[]]);

/** GET /plans/{planId}/deadlines */
export const PlanDeadlines = z.strictObject({
  /**
   * Who the reminders go to now: the lead responsible, or the convener while there is none. Left out, with
   * no items, for a reader whose consent does not release who does what and when.
   */
  remindersGoTo: z.optional(
    z.strictObject({
      role: z.enum(['leadResponsible', 'convener']),
      organisationId: OrganisationId,
    }),
  ),
  items: z.array(
    z.strictObject({
      key: z.string(),
      kind: DeadlineKindSchema,
      dueAt: Timestamp,
      state: z.enum(['upcoming', 'due', 'overdue', 'met']),
      stages: z.array(z.strictObject({ name: z.string(), at: Timestamp })),
      reminders: z.array(ReminderRecord),
    }),
  ),
  /**
   * Once the plan has ended: the notice that it no longer applies, one to each participating organisation,
   * whatever its consent. Empty while the plan is open.
   */
  notices: z.array(
    z.strictObject({
      organisationId: OrganisationId,
      outcome: z.enum(PLAN_ENDINGS),
      /** When the plan ended: the notice is due from then. */
      dueAt: Timestamp,
      /** When the deadline check handed it on; absent until it has (it runs every 15 minutes). */
      queuedAt: z.optional(Timestamp),
      /** The plan names no e-mail address for the organisation: handed on to nobody. */
      undeliverable: z.optional(z.literal(true)),
    }),
  ),
});

/** GET /deadlines */
export const DeadlineList = z.strictObject({
  items: z.array(
    z.strictObject({
      planId: Id,
      status: PlanStatus,
      key: z.string(),
      kind: DeadlineKindSchema,
      remindFrom: Timestamp,
      dueAt: Timestamp,
      state: z.enum(['overdue', 'due', 'upcoming']),
    }),
  ),
  nextCursor: z.optional(z.string()),
});

/** A published value: a number, `<5` (a count of 1–4), `..` (hidden), or `null` (nothing to measure). */
const Cell = z.union([z.number(), z.literal('<5'), z.literal('..'), z.null()]);

/** GET /reports/regional as JSON: the CSV's columns, one object per row. */
export const RegionalReportDocument = z.strictObject({
  period: z.strictObject({
    type: z.enum(['month', 'quarter', 'year', 'months']),
    from: CalendarDate,
    to: CalendarDate,
  }),
  /** Principals with events in the period that the report register does not name: left out. */
  unregisteredPrincipals: z.number().check(z.int(), z.minimum(0)),
  rows: z.array(
    z.strictObject({
      principal: z.string(),
      principalKind: z.enum(['region', 'municipality']),
      indicator: z.string(),
      category: z.string(),
      unit: z.enum(['count', 'percent', 'days']),
      ...Object.fromEntries([...TARGET_GROUPS, 'total'].map((column) => [column, Cell])),
      label: z.string(),
    }),
  ),
});
