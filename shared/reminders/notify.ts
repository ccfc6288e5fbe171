/** Delivering one reminder: exactly once per deadline, stage and channel, and never an SMS at night. */
import type { DeliveryLedger } from '../store/delivery-ledger.ts';
import type { Channel } from './channels.ts';
import type { ReminderMessage } from './message.ts';
import { smsQuietUntil } from './quiet-hours.ts';
import { renderReminder } from './templates.ts';

export type Delivery = { outcome: 'sent' | 'duplicate' | 'dropped' } | { outcome: 'deferred'; until: Date };

/** How long to wait before trying again a delivery that another one is in the middle of. */
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
  },
): Promise<Delivery> {
  if (message.channel === 'sms') {
    const until = smsQuietUntil(now);
    if (until) return { outcome: 'deferred', until };
  }
  if (isStillDue && !(await isStillDue(message, now))) return { outcome: 'dropped' };
  const claim = await ledger.claim(message.planId, message.deliveryId, now);
  if (claim === 'sent') return { outcome: 'duplicate' };
  // Another delivery of the same message is under way: let it finish, and look again later.
  if (claim === 'inProgress')
    return { outcome: 'deferred', until: new Date(now.getTime() + IN_PROGRESS_RETRY_MS) };
  const { subject, text, calendar } = renderReminder(message, appBaseUrl, sender);
  if (message.channel === 'email')
    await channel.sendEmail({ id: message.deliveryId, to: message.to, subject, text, calendar, date: now });
  else await channel.sendSms({ id: message.deliveryId, to: message.to, text });
  await ledger.markSent(message.planId, message.deliveryId, now);
  return { outcome: 'sent' };
}
