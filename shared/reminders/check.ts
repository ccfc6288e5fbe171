/**
 * The deadline check: reads only the plans with a reminder due (the due-time index, never a Scan), hands
 * each due reminder on — one message per channel the recipient can be reached on — and records it in the
 * plan, which moves the plan's due entry on in the same transaction. It looks for everything due up to now,
 * never a window: a missed run loses nothing, and a repeated one finds nothing new.
 */
import { type DueReminder, dueReminders, reminderRecipient } from '../domain/deadlines/deadlines.ts';
import type { ReminderRecord } from '../domain/deadlines/record.ts';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import { PreconditionFailedError } from '../domain/errors.ts';
import type { Plan } from '../domain/plan.ts';
import { nextVersion } from '../domain/plan-edits.ts';
import { toStockholmTimestamp } from '../domain/time.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { ReminderMessage } from './message.ts';

/** Where due reminders are handed on: SQS in AWS, the notify code directly in the local runtime. */
export interface ReminderQueue {
  send(messages: ReminderMessage[]): Promise<void>;
}

/** The check writes as the service itself. */
export const SERVICE_ACTOR = { userId: 'deadline-check', organisationId: 'sip-service' };

export interface CheckResult {
  plans: number;
  reminders: number;
  messages: number;
  /** Plans changed by someone else between read and write: retried by the next run. */
  conflicts: number;
  /** Plans that failed (logged, tried again next run). */
  failed: number;
  /** Reminders with nobody to reach: the recipient has neither e-mail nor mobile. Recorded as such. */
  undeliverable: number;
}

export async function runDeadlineCheck(options: {
  plans: PlanStore;
  queue: ReminderQueue;
  settings: DeadlineSettings;
  now: Date;
  /** Told of each plan that failed, by id only. */
  onPlanFailure?: (planId: string, error: unknown) => void;
}): Promise<CheckResult> {
  const { plans, queue, settings, now } = options;
  const result: CheckResult = {
    plans: 0,
    reminders: 0,
    messages: 0,
    conflicts: 0,
    failed: 0,
    undeliverable: 0,
  };
  for (const planId of await plans.duePlanIds(now)) {
    try {
      await checkPlan(planId);
    } catch (error) {
      // One plan that cannot be handled must not hold up the others; it is tried again next run.
      result.failed++;
      options.onPlanFailure?.(planId, error);
    }
  }
  return result;

  async function checkPlan(planId: string): Promise<void> {
    const plan = await plans.get(planId);
    if (!plan) return;
    const due = dueReminders(plan, now, settings);
    if (due.length === 0) {
      // The index said due, the plan says not (the rules or lead times changed): move the entry on, so the
      // plan is not read again on every run.
      await plans.refreshDueEntry(plan);
      return;
    }
    result.plans++;
    const recipient = reminderRecipient(plan);
    const recipientTargets = [
      ...(recipient.person.email ? [{ channel: 'email' as const, to: recipient.person.email }] : []),
      ...(recipient.person.mobile ? [{ channel: 'sms' as const, to: recipient.person.mobile }] : []),
    ].map((target) => ({
      ...target,
      recipient: { role: recipient.role, organisationId: recipient.organisationId },
    }));
    /** A reminder goes to the lead responsible (or convener); a kallelse to each invitee's contact, by e-mail. */
    const targetsOf = (reminder: DueReminder) => {
      if (reminder.deadline.kind !== 'kallelseDelivery') return recipientTargets;
      const { invitationId, organisationId } = reminder.deadline.subject ?? {
        invitationId: '',
        organisationId: '',
      };
      const invitation = plan.invitations.find((i) => i.id === invitationId);
      const invitee = invitation?.invitees.find((i) => i.organisationId === organisationId);
      if (!invitation || !invitee?.contact?.email) return [];
      return [
        {
          channel: 'email' as const,
          to: invitee.contact.email,
          recipient: { role: 'invitee' as const, organisationId: invitee.organisationId },
          meeting: {
            invitationId: invitation.id,
            startsAt: invitation.startsAt,
            ...(invitation.endsAt && { endsAt: invitation.endsAt }),
            digital: invitation.place.kind === 'digital',
            participation: invitee.participation,
            sequence: invitation.reschedules ?? 0,
          },
        },
      ];
    };
    // When a check finds several stages of one deadline due at once (after downtime), only the latest is
    // sent: "overdue" says all that "reminder" would have. The others are recorded as superseded.
    const latestByDeadline = new Map(due.map((reminder) => [reminder.deadline.key, reminder.id]));
    const toSend = due.filter((reminder) => latestByDeadline.get(reminder.deadline.key) === reminder.id);
    const messages: ReminderMessage[] = toSend.flatMap((reminder) =>
      targetsOf(reminder).map((target) => ({
        deliveryId: `${plan.planId}/${reminder.id}/${target.recipient.organisationId}/${target.channel}`,
        reminderId: reminder.id,
        planId: plan.planId,
        kind: reminder.deadline.kind,
        stage: reminder.stage.name,
        dueAt: toStockholmTimestamp(reminder.deadline.dueAt),
        channel: target.channel,
        to: target.to,
        recipient: target.recipient,
        ...('meeting' in target && { meeting: target.meeting }),
      })),
    );
    // Hand on first, record after: a crash in between sends the messages again, and the delivery ledger
    // drops the repeats. The other order could lose a reminder.
    await queue.send(messages);
    const records: ReminderRecord[] = due.map((reminder) => ({
      id: reminder.id,
      deadlineKey: reminder.deadline.key,
      stage: reminder.stage.name,
      dueAt: toStockholmTimestamp(reminder.stage.at),
      queuedAt: toStockholmTimestamp(now),
      recipient:
        reminder.deadline.kind === 'kallelseDelivery'
          ? { role: 'invitees' as const, organisationId: plan.convener.organisationId }
          : { role: recipient.role, organisationId: recipient.organisationId },
      ...(!toSend.includes(reminder) && { superseded: true }),
      ...(toSend.includes(reminder) && targetsOf(reminder).length === 0 && { undeliverable: true }),
    }));
    const lapsing = new Set(
      due.filter((r) => r.stage.name === 'lapse').map((r) => r.deadline.key.split(':')[1]),
    );
    const candidate: Plan = {
      ...plan,
      reminders: [...(plan.reminders ?? []), ...records],
      consents: plan.consents.map((c) =>
        lapsing.has(c.id) && !c.lapsedAt ? { ...c, lapsedAt: toStockholmTimestamp(now) } : c,
      ),
    };
    const edit = nextVersion(plan, candidate, { actor: SERVICE_ACTOR, now });
    try {
      await plans.save({
        plan: edit.plan,
        previous: plan,
        revision: {
          planId: plan.planId,
          version: edit.plan.version,
          action: 'recordReminders',
          at: edit.plan.updatedAt,
          by: SERVICE_ACTOR,
          changes: edit.changes,
        },
      });
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      result.conflicts++;
      return;
    }
    result.reminders += due.length;
    result.messages += messages.length;
    result.undeliverable += due.filter((reminder) => targetsOf(reminder).length === 0).length;
  }
}
