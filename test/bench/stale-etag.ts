/**
 * staleEtagRate: the share of one client's writes refused 412 although no other user wrote, over a run in
 * which the deadline check runs every second and sends reminders. The client writes each plan with the ETag
 * of its own last answer, as a journal system does; any 412 can only come from the service's own writes.
 */
import { DEFAULT_DEADLINE_SETTINGS } from '../../shared/domain/deadlines/settings.ts';
import { addStockholmDays, toStockholmTimestamp } from '../../shared/domain/time.ts';
import { runDeadlineCheck } from '../../shared/reminders/check.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createPlanStore } from '../../shared/store/plan-store.ts';
import { createReminderBook } from '../../shared/store/reminder-book.ts';
import { createReportStore } from '../../shared/store/report-events.ts';
import { apiEvent } from '../support/events.ts';
import { elsa, VARDCENTRAL } from '../support/scenarios.ts';

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;

const PLANS = 30;

export async function staleEtagRate(handler: Handler, endpoint: string, tableName: string) {
  const client = createDocumentClient({ tableName, endpoint });
  const stores = {
    plans: createPlanStore(client, tableName),
    book: createReminderBook(client, tableName),
    reports: createReportStore(client, tableName),
  };
  let reminders = 0;
  let checks = 0;
  let running = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => {
      const result = await runDeadlineCheck({
        ...stores,
        queue: {
          send: async (messages) => {
            reminders += messages.length;
          },
        },
        settings: DEFAULT_DEADLINE_SETTINGS,
        now: new Date(),
      });
      checks++;
      void result;
    });
  }, 1000);

  const claims = { sub: 'bench', org_id: VARDCENTRAL, scope: 'sip.read sip.write' };
  const etags = new Map<string, string>();
  let writes = 0;
  let stale = 0;
  const write = async (routeKey: string, path: string, planId: string | undefined, body: unknown) => {
    const result = await handler(
      apiEvent({
        routeKey,
        path,
        ...(planId && { pathParameters: { planId } }),
        claims,
        headers: planId ? { 'if-match': etags.get(planId) ?? '' } : {},
        body: JSON.stringify(body),
      }),
      {},
    );
    writes++;
    if (result.statusCode === 412) stale++;
    else if (result.statusCode >= 300) throw new Error(`${routeKey}: ${result.statusCode} ${result.body}`);
    const id = planId ?? (JSON.parse(result.body).planId as string);
    if (result.statusCode < 300) etags.set(id, result.headers.etag ?? '');
    return id;
  };
  const started = Date.now();
  try {
    const planIds: string[] = [];
    // Plans whose discharge was reported four days ago: each has reminders due at once.
    for (let i = 0; i < PLANS || Date.now() - started < 5_000 || reminders < 20; i++) {
      if (i < PLANS) {
        const fourDaysAgo = toStockholmTimestamp(addStockholmDays(new Date(), -4));
        const { content: _, ...body } = elsa;
        const planId = await write('POST /plans', '/plans', undefined, {
          ...body,
          initiation: { ...elsa.initiation, noticedAt: fourDaysAgo },
        });
        await write('POST /plans/{planId}/discharge-events', `/plans/${planId}/discharge-events`, planId, {
          event: 'readyForDischarge',
          at: fourDaysAgo,
        });
        planIds.push(planId);
      }
      // Then a change to every plan so far, each with the ETag the client last got.
      for (const planId of planIds) {
        await write('PATCH /plans/{planId}', `/plans/${planId}`, planId, { longTermGoal: `Mål ${i}` });
      }
      if (i > 1000) throw new Error('the check sent too few reminders');
    }
  } finally {
    clearInterval(timer);
    await running;
  }
  return { rate: stale / writes, stale, writes, reminders, checks, seconds: (Date.now() - started) / 1000 };
}
