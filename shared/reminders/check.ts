/**
 * The deadline check: reads only what is due (the due-time index, never a Scan), hands each due reminder
 * on — one message per channel the recipient can be reached on — and records it in the reminder book
 * beside the plan. It never writes the plan: a client's ETag stays good however often it runs. It looks for
 * everything due up to now, never a window: a missed run loses nothing, and a repeated one finds nothing new.
 *
 * It also hands on again the messages held back until now (an SMS in the quiet hours).
 */
import { type DueReminder, dueReminders, reminderRecipient } from '../domain/deadlines/deadlines.ts';
import type { ReminderRecord } from '../domain/deadlines/record.ts';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import { organisationEmail } from '../domain/participants.ts';
import type { Plan } from '../domain/plan.ts';
import { toStockholmTimestamp } from '../domain/time.ts';
import { legacyTimedStatesOf, timedStatesOf } from '../reporting/events.ts';
import { keys } from '../store/keys.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { ReminderBook } from '../store/reminder-book.ts';
import type { ReportStore } from '../store/report-events.ts';
import { kallelseMeeting, type ReminderMessage } from './message.ts';

/** Where due reminders are handed on: SQS in AWS, the notify code directly in the local runtime. */
export interface ReminderQueue {
  send(messages: ReminderMessage[]): Promise<void>;
}

export interface CheckResult {
  plans: number;
  /** Reminders and deliveries handled (sent, superseded or undeliverable). */
  reminders: number;
  messages: number;
  /** Held messages handed on again. */
  released: number;
  /** Plans that failed (logged, tried again next run). */
  failed: number;
  /**
   * Reminders and deliveries with nobody to reach: the recipient has neither e-mail nor mobile, an invitee
   * or a participating organisation no e-mail address. Recorded as such.
   */
  undeliverable: number;
}

/**
 * What the check has handled of a plan: the reminder book, and — for a plan written before the book
 * existed and not yet migrated — the list the plan itself carries (`reminders`), so that nothing it names
 * is sent again.
 */
export async function handledOf(plan: Plan, book: ReminderBook): Promise<Set<string>> {
  const records = await book.handled(plan.planId);
  return new Set([...records, ...(plan.reminders ?? [])].map((record) => record.id));
}

export async function runDeadlineCheck(options: {
  plans: PlanStore;
  book: ReminderBook;
  /** Where the check counts the states that pass with the clock, for the reports. */
  reports: ReportStore;
  queue: ReminderQueue;
  settings: DeadlineSettings;
  now: Date;
  /** Told of each plan that failed, by id only. */
  onPlanFailure?: (planId: string, error: unknown) => void;
}): Promise<CheckResult> {
  const { plans, book, reports, queue, settings, now } = options;
  const result: CheckResult = {
    plans: 0,
    reminders: 0,
    messages: 0,
    released: 0,
    failed: 0,
    undeliverable: 0,
  };
  for (const item of await plans.dueItems(now)) {
    try {
      if (item.sk.startsWith(keys.heldPrefix)) await release(item.planId, item.sk);
      else await checkPlan(item.planId);
    } catch (error) {
      // One plan that cannot be handled must not hold up the others; it is tried again next run.
      result.failed++;
      options.onPlanFailure?.(item.planId, error);
    }
  }
  return result;

  async function release(planId: string, sk: string): Promise<void> {
    const held = await book.held(planId, sk);
    if (!held) return;
    // Hand on first, let go after: a crash in between hands it on twice, and the ledger drops the repeat.
    await queue.send([held.message]);
    await book.release(planId, sk, held.until);
    result.released++;
  }

  async function checkPlan(planId: string): Promise<void> {
    const plan = await plans.get(planId);
    if (!plan) return;
    const handled = await handledOf(plan, book);
    const due = dueReminders(plan, handled, now, settings);
    if (due.length > 0) {
      result.plans++;
      await handOn(plan, due);
      for (const reminder of due) handled.add(reminder.id);
    }
    // The check is the reports' clock: a consent lapses, a follow-up turns overdue, and a write that ends
    // either makes the plan due now (see the due-time index) — counted here, once.
    await reports.countTimedStates(
      planId,
      await reports.countedTimedStates(planId),
      legacyTimedStatesOf(plan),
      timedStatesOf(plan, now, settings),
      now,
    );
    // Moves the entry on to what is left. A plan written meanwhile keeps the entry that write put.
    await plans.refreshDueEntry(plan, now, handled);
  }

  async function handOn(plan: Plan, due: DueReminder[]): Promise<void> {
    const recipient = reminderRecipient(plan);
    const recipientTargets = [
      ...(recipient.person.email ? [{ channel: 'email' as const, to: recipient.person.email }] : []),
      ...(recipient.person.mobile ? [{ channel: 'sms' as const, to: recipient.person.mobile }] : []),
    ];
    // When a check finds several stages of one deadline due at once (after downtime), only the latest is
    // sent: "overdue" says all that "reminder" would have. The others are recorded as superseded.
    const latest = new Map(due.map((reminder) => [reminder.deadline?.key ?? reminder.id, reminder.id]));
    const toSend = due.filter(
      (reminder) => latest.get(reminder.deadline?.key ?? reminder.id) === reminder.id,
    );
    const messagesOf = (reminder: DueReminder): ReminderMessage[] => {
      const base = { reminderId: reminder.id, planId: plan.planId };
      const deliveryId = (channel: string) => `${plan.planId}/${reminder.id}/${channel}`;
      if (reminder.deadline) {
        // A deadline's stage goes to the lead responsible (or the convener), on every channel they have.
        const about = {
          type: 'deadline' as const,
          kind: reminder.deadline.kind,
          stage: reminder.stage.name,
          dueAt: toStockholmTimestamp(reminder.deadline.dueAt),
        };
        return recipientTargets.map((target) => ({
          ...base,
          deliveryId: deliveryId(target.channel),
          about,
          channel: target.channel,
          to: target.to,
          recipient: { role: recipient.role, organisationId: recipient.organisationId },
        }));
      }
      const { delivery } = reminder;
      switch (delivery.kind) {
        case 'kallelse': {
          // A kallelse goes to the invitee's contact, by e-mail.
          const invitation = plan.invitations.find((i) => i.id === delivery.invitationId);
          const invitee = invitation?.invitees.find((i) => i.organisationId === delivery.organisationId);
          if (!invitation || !invitee?.contact?.email) return [];
          return [
            {
              ...base,
              deliveryId: deliveryId('email'),
              about: {
                type: 'kallelse' as const,
                sentAt: toStockholmTimestamp(reminder.at),
                meeting: kallelseMeeting(invitation, invitee),
              },
              channel: 'email',
              to: invitee.contact.email,
              recipient: { role: 'invitee', organisationId: invitee.organisationId },
            },
          ];
        }
        case 'planEnded': {
          // An ending notice goes to the organisation's contact, by e-mail: the fact, the date, a link.
          const to = organisationEmail(plan, delivery.organisationId);
          if (!to) return [];
          return [
            {
              ...base,
              deliveryId: deliveryId('email'),
              about: { type: 'planEnded', outcome: delivery.outcome, at: toStockholmTimestamp(delivery.at) },
              channel: 'email',
              to,
              recipient: { role: 'participant', organisationId: delivery.organisationId },
            },
          ];
        }
      }
    };
    const outgoing = new Map(toSend.map((reminder) => [reminder.id, messagesOf(reminder)]));
    const messages = [...outgoing.values()].flat();
    // Hand on first, record after: a crash in between hands the messages on again, and the delivery
    // ledger drops the repeats (their ids name the stage, not the recipient). The other order could lose one.
    await queue.send(messages);
    const records: ReminderRecord[] = due.map((reminder) => {
      const sent = outgoing.get(reminder.id);
      // A delivery's id is `<key>/<stage>` like a reminder's: `…/sent` for a kallelse, `…/<outcome>` for a notice.
      const slash = reminder.id.lastIndexOf('/');
      return {
        id: reminder.id,
        deadlineKey: reminder.deadline?.key ?? reminder.id.slice(0, slash),
        stage: reminder.stage?.name ?? reminder.id.slice(slash + 1),
        dueAt: toStockholmTimestamp(reminder.at),
        queuedAt: toStockholmTimestamp(now),
        recipient: reminder.delivery
          ? {
              role: reminder.delivery.kind === 'kallelse' ? ('invitee' as const) : ('participant' as const),
              organisationId: reminder.delivery.organisationId,
            }
          : { role: recipient.role, organisationId: recipient.organisationId },
        ...(!sent && { superseded: true }),
        ...(sent?.length === 0 && { undeliverable: true }),
      };
    });
    await book.record(plan.planId, records);
    result.reminders += due.length;
    result.messages += messages.length;
    result.undeliverable += records.filter((record) => record.undeliverable).length;
  }
}
