/**
 * The local stand-in for the scheduled check and the notify queue: the same check on a timer, the same
 * delivery code, and the outbox channel instead of SES and SNS. Everything it holds back (an SMS at night)
 * is in DynamoDB Local, not in a timer, so a restart loses nothing.
 */
import { loadConfig } from '../../shared/config.ts';
import { outboxChannel } from '../../shared/reminders/channels.ts';
import { runDeadlineCheck } from '../../shared/reminders/check.ts';
import { deliverReminder } from '../../shared/reminders/notify.ts';
import { inProcessQueue } from '../../shared/reminders/queues.ts';
import { stillDue } from '../../shared/reminders/still-due.ts';
import { closeReportingMonths } from '../../shared/reporting/balance.ts';
import { storesFor } from '../../shared/store/from-config.ts';

/** The local sender, as in the outbox's e-mails. */
const LOCAL_SENDER = 'no-reply@sip.local';

export interface LocalReminders {
  /** Runs one check now (after any run in progress). */
  checkNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startLocalReminders(options: {
  dynamoDbEndpoint: string;
  tableName: string;
  outbox: string;
  appBaseUrl: string;
  /** How often the check runs on its own; 0: only when asked (`checkNow`), as tests drive it. */
  intervalSeconds: number;
  log: (line: string) => void;
  /** The instant the check and delivery run at (tests step it; the runtime uses the real clock). */
  clock?: () => Date;
}): LocalReminders {
  const config = loadConfig({
    ...process.env,
    TABLE_NAME: options.tableName,
    DYNAMODB_ENDPOINT: options.dynamoDbEndpoint,
  });
  const clock = options.clock ?? (() => new Date());
  const { deadlineSettings } = config;
  const { plans, deliveries: ledger, book, reports } = storesFor(config);
  const channel = outboxChannel(options.outbox, options.log);
  const isStillDue = stillDue(plans, deadlineSettings);
  const queue = inProcessQueue((message) =>
    deliverReminder(message, {
      ledger,
      channel,
      appBaseUrl: options.appBaseUrl,
      sender: LOCAL_SENDER,
      now: clock(),
      isStillDue,
      hold: (held, until) => book.hold(held, until),
    }),
  );

  // Runs never overlap: each waits for the one before.
  let running: Promise<void> = Promise.resolve();
  const checkNow = () => {
    running = running.then(async () => {
      try {
        const now = clock();
        const result = await runDeadlineCheck({
          plans,
          book,
          reports,
          queue,
          settings: deadlineSettings,
          now,
        });
        if (result.reminders > 0)
          options.log(`deadline check: ${result.reminders} reminder(s) for ${result.plans} plan(s)`);
        await closeReportingMonths(reports, now);
      } catch (error) {
        options.log(`deadline check failed: ${(error as Error).message}`);
      }
    });
    return running;
  };
  const timer =
    options.intervalSeconds > 0
      ? setInterval(() => void checkNow(), options.intervalSeconds * 1000)
      : undefined;
  if (timer) void checkNow();
  return {
    checkNow,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
