/** Delivering one reminder: exactly once per deadline, stage and channel, and never an SMS at night. */
import type { DeliveryLedger } from '../store/delivery-ledger.ts';
import type { Channel } from './channels.ts';
import type { ReminderMessage } from './message.ts';
import { smsQuietUntil } from './quiet-hours.ts';
import { renderReminder } from './templates.ts';

/** `held`: kept back until `until` (persisted by `hold`); the check hands it on again then. */
export type Delivery = { outcome: 'sent' | 'duplicate' | 'dropped' } | { outcome: 'held'; until: Date };

/** How long to hold a delivery that another one is in the middle of before looking again. */
const IN_PROGRESS_RETRY_MS = 60_000;

export async function deliverReminder(
  message: ReminderMessage,
  {
    ledger,
    channel,
    appBaseUrl,
    now,
    sender,
    isStillDue,
    hold,
  }: {
    ledger: DeliveryLedger;
    channel: Channel;
    appBaseUrl: string;
    sender: string;
    now: Date;
    /**
     * Read just before sending: a reminder whose deadline was met meanwhile, or whose recipient may no
     * longer see the plan, is dropped.
     */
    isStillDue?: (message: ReminderMessage, now: Date) => Promise<boolean>;
    /**
     * Keeps a message until it may go: an item in the table, in the due-time index (the reminder book), so
     * that neither a restart nor a lost timer loses it.
     */
    hold: (message: ReminderMessage, until: Date) => Promise<void>;
  },
): Promise<Delivery> {
  const held = async (until: Date): Promise<Delivery> => {
    await hold(message, until);
    return { outcome: 'held', until };
  };
  if (message.channel === 'sms') {
    const until = smsQuietUntil(now);
    if (until) return held(until);
  }
  if (isStillDue && !(await isStillDue(message, now))) return { outcome: 'dropped' };
  const claim = await ledger.claim(message.planId, message.deliveryId, now);
  if (claim === 'sent') return { outcome: 'duplicate' };
  // Another delivery of the same message is under way: let it finish, and look again later.
  if (claim === 'inProgress') return held(new Date(now.getTime() + IN_PROGRESS_RETRY_MS));
  const { subject, text, calendar } = renderReminder(message, appBaseUrl, sender);
  if (message.channel === 'email')
    await channel.sendEmail({ id: message.deliveryId, to: message.to, subject, text, calendar, date: now });
  else await channel.sendSms({ id: message.deliveryId, to: message.to, text });
  await ledger.markSent(message.planId, message.deliveryId, now);
  return { outcome: 'sent' };
}
