/**
 * The reminder pipeline against DynamoDB Local: the check over the due-time index, the hand-off, delivery
 * through the outbox channel, and what happens when any step fails half-way.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_SETTINGS } from '../../shared/domain/deadlines/settings.ts';
import { addStockholmDays, toStockholmTimestamp } from '../../shared/domain/time.ts';
import { type Channel, outboxChannel } from '../../shared/reminders/channels.ts';
import { type ReminderQueue, runDeadlineCheck } from '../../shared/reminders/check.ts';
import type { ReminderMessage } from '../../shared/reminders/message.ts';
import { deliverReminder } from '../../shared/reminders/notify.ts';
import { stillDue } from '../../shared/reminders/still-due.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createDeliveryLedger, type DeliveryLedger } from '../../shared/store/delivery-ledger.ts';
import { keys } from '../../shared/store/keys.ts';
import { createPlanStore, type PlanStore } from '../../shared/store/plan-store.ts';
import { createReminderBook, type ReminderBook } from '../../shared/store/reminder-book.ts';
import { createReportStore, type ReportStore } from '../../shared/store/report-events.ts';
import { startTestApi } from '../support/api.ts';
import { readCalendar, readEmail } from '../support/email.ts';
import { invitation, planDriver, sharingConsent } from '../support/process.ts';
import { elsa, GERIATRIK, GERIATRIK_OSTER, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
let plans: PlanStore;
let ledger: DeliveryLedger;
let book: ReminderBook;
let reports: ReportStore;
beforeAll(async () => {
  // The API decides at the same instant the check runs at, whatever day the tests run on.
  api = await startTestApi({ clock: () => NOW });
  driver = planDriver(api);
  const client = createDocumentClient({
    tableName: process.env.TABLE_NAME ?? '',
    endpoint: process.env.DYNAMODB_ENDPOINT,
  });
  plans = createPlanStore(client, process.env.TABLE_NAME ?? '');
  ledger = createDeliveryLedger(client, process.env.TABLE_NAME ?? '');
  book = createReminderBook(client, process.env.TABLE_NAME ?? '');
  reports = createReportStore(client, process.env.TABLE_NAME ?? '');
});
const hold = (message: ReminderMessage, until: Date) => book.hold(message, until);
const handled = async (planId: string) => book.handled(planId);
afterAll(() => api?.close());

const settings = DEFAULT_DEADLINE_SETTINGS;
/** Daytime in Stockholm, so SMS go at once. */
const NOW = new Date('2026-11-24T10:00:00+01:00');

/** A plan whose discharge was reported four days before `now`, with no kallelse sent. */
async function overdueKallelsePlan(now = NOW) {
  const fourDaysAgo = toStockholmTimestamp(addStockholmDays(now, -4));
  const planId = await driver.create({ ...elsa, initiation: { ...elsa.initiation, noticedAt: fourDaysAgo } });
  await driver.expectOk(planId, '/discharge-events', { event: 'readyForDischarge', at: fourDaysAgo });
  return planId;
}

function pipeline(channel: Channel, now = NOW) {
  const queue: ReminderQueue = {
    async send(messages) {
      for (const message of messages)
        await deliverReminder(message, {
          ledger,
          channel,
          appBaseUrl: 'https://sip.example',
          sender: 'sip@region.example.se',
          now,
          hold,
        });
    },
  };
  return () => runDeadlineCheck({ plans, book, reports, queue, settings, now });
}

/** The kallelse-deadline files in an outbox, without the day of the discharge report in their names. */
const filesIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.includes('kallelseAfterDischarge'))
    .map((f) => f.replace(/_\d{4}-\d{2}-\d{2}_/, '_'));

describe('a kallelse four days after discharge', () => {
  it('reminds the convener once, by e-mail and SMS, without personal data, however often the check runs', async () => {
    const planId = await overdueKallelsePlan();
    const outbox = mkdtempSync(join(tmpdir(), 'sip-outbox-'));
    const check = pipeline(outboxChannel(outbox, () => {}));
    const first = await check();
    for (let i = 0; i < 5; i++) await check();

    const mine = filesIn(outbox).filter((f) => f.startsWith(planId));
    // Reminder and overdue were both due at the first check: only "overdue" is sent, on both channels.
    expect(mine.sort()).toEqual([
      `${planId}_kallelseAfterDischarge_overdue_email.eml`,
      `${planId}_kallelseAfterDischarge_overdue_sms.json`,
    ]);
    expect(first.reminders).toBeGreaterThanOrEqual(2);
    const real = (name: string) =>
      readdirSync(outbox).find((f) => f.replace(/_\d{4}-\d{2}-\d{2}_/, '_') === name) ?? '';
    const email = await readEmail(readFileSync(join(outbox, real(mine[0] ?? ''))));
    expect(email.to).toEqual(['anna.andersson@example.se']);
    expect(email.text).toContain(`https://sip.example/app/plans/${planId}`);
    const sms = JSON.parse(readFileSync(join(outbox, real(mine[1] ?? '')), 'utf8'));
    expect(sms.to).toBe('+46701234567');
    for (const text of [email.subject, email.text, sms.text]) {
      expect(text).not.toMatch(/Elsa|Exempel|194203|19420315|Storgatan|hemtjänst/i);
    }

    // Recorded beside the plan; the plan itself is as its users left it.
    expect((await plans.get(planId))?.version).toBe(2);
    expect((await handled(planId)).map((r) => [r.stage, r.superseded ?? false])).toEqual(
      expect.arrayContaining([
        ['reminder', true],
        ['overdue', false],
      ]),
    );
  });

  it('stops reminding once the kallelse is sent', async () => {
    const planId = await overdueKallelsePlan();
    await driver.expectOk(planId, '/consents', sharingConsent());
    await driver.expectOk(planId, '/invitations', invitation('2026-12-01T10:00:00+01:00'));
    const outbox = mkdtempSync(join(tmpdir(), 'sip-outbox-'));
    await pipeline(outboxChannel(outbox, () => {}))();
    expect(filesIn(outbox).filter((f) => f.startsWith(planId))).toEqual([]);
    expect((await handled(planId)).some((r) => r.deadlineKey.startsWith('kallelseAfterDischarge'))).toBe(
      false,
    );
  });
});

describe('the kallelse to the invitees', () => {
  it('goes once to each invitee’s contact as an e-mail with an iCalendar meeting request, without personal data', async () => {
    const planId = await driver.planAt('consented');
    const sent = await driver.expectOk(planId, '/invitations', {
      ...invitation('2026-12-01T10:00:00+01:00'),
      invitees: [
        {
          organisationId: HEMTJANST,
          contribution: 'Hemtjänst',
          contact: { name: 'Bo Biståndshandläggare', email: 'bo@example.se' },
        },
        { organisationId: GERIATRIK, contribution: 'Rehabilitering' },
      ],
    });
    const invitationId = sent.invitations[0].id;
    const outbox = mkdtempSync(join(tmpdir(), 'sip-kallelse-'));
    const check = pipeline(outboxChannel(outbox, () => {}));
    await check();
    await check();
    const files = readdirSync(outbox).filter((f) => f.startsWith(planId) && f.includes('kallelse_'));
    // Geriatrik has no contact with an e-mail address: only home care gets it.
    expect(files).toHaveLength(1);
    const eml = await readEmail(readFileSync(join(outbox, files[0] ?? '')));
    expect(eml.to).toEqual(['bo@example.se']);
    expect(eml.attachmentNames).toContain('invite.ics');
    const ics = eml.calendar ?? '';
    expect(readCalendar(ics)).toMatchObject({
      method: 'REQUEST',
      organizer: 'mailto:sip@region.example.se',
      attendees: [{ value: 'mailto:bo@example.se', role: 'REQ-PARTICIPANT', rsvp: 'TRUE' }],
      uid: `${invitationId}@sip`,
      start: new Date('2026-12-01T09:00:00Z'),
    });
    expect(eml.text).toContain('Din verksamhet är kallad och ska delta');
    for (const text of [eml.subject, eml.text, ics])
      expect(text).not.toMatch(/Elsa|Exempel|194203|Planera stödet|Vilket stöd/);

    // The meeting moves: an update of the same event, with a higher sequence, goes out once.
    await driver.refresh(planId);
    await driver.expectOk(planId, `/invitations/${invitationId}/reschedule`, {
      startsAt: '2026-12-02T13:00:00+01:00',
    });
    await check();
    await check();
    const after = readdirSync(outbox).filter((f) => f.startsWith(planId) && f.includes('kallelse_'));
    expect(after).toHaveLength(2);
    const update = await readEmail(readFileSync(join(outbox, after.find((f) => f !== files[0]) ?? '')));
    expect(update.subject).toMatch(/^Ändrad tid: /);
    const updateEvent = readCalendar(update.calendar ?? '');
    expect(updateEvent.uid).toBe(`${invitationId}@sip`);
    expect(updateEvent.start).toEqual(new Date('2026-12-02T12:00:00Z'));
    expect(updateEvent.sequence).toBeGreaterThan(readCalendar(ics).sequence);
  });
});

describe('reminders follow the access policy', () => {
  it('drops a kallelse to a unit whose consent was withdrawn before it went', async () => {
    const planId = await driver.planAt('consented');
    await driver.expectOk(planId, '/invitations', {
      ...invitation('2026-12-01T10:00:00+01:00'),
      invitees: [
        {
          organisationId: HEMTJANST,
          contribution: 'Hemtjänst',
          contact: { name: 'Bo', email: 'bo@example.se' },
        },
      ],
    });
    const queued: ReminderMessage[] = [];
    await runDeadlineCheck({
      plans,
      book,
      reports,
      queue: { send: async (m) => void queued.push(...m) },
      settings,
      now: NOW,
    });
    const kallelse = queued.filter((m) => m.planId === planId && m.recipient.role === 'invitee');
    expect(kallelse).toHaveLength(1);

    const plan = (await api.call('GET', `/plans/${planId}`)).json;
    const sharing = plan.consents.find((c: { kind: string }) => c.kind === 'informationSharing');
    await driver.refresh(planId);
    await driver.expectOk(planId, `/consents/${sharing.id}/withdrawal`, {});

    const outbox = mkdtempSync(join(tmpdir(), 'sip-withdrawn-'));
    const delivery = await deliverReminder(kallelse[0] as ReminderMessage, {
      ledger,
      channel: outboxChannel(outbox, () => {}),
      appBaseUrl: 'https://sip.example',
      sender: 'sip@region.example.se',
      now: NOW,
      isStillDue: stillDue(plans, settings),
      hold,
    });
    expect(delivery.outcome).toBe('dropped');
    expect(readdirSync(outbox)).toEqual([]);
  });
});

describe('what the check changes in the plan', () => {
  it('nothing: a consent lapses at its expiry without a write, and the lapse reminder goes out', async () => {
    const planId = await driver.planAt('initiated');
    await driver.expectOk(planId, '/consents', {
      ...sharingConsent('2025-11-20T10:00:00+01:00'),
      expiresAt: '2026-11-20T10:00:00+01:00',
    });
    const outbox = mkdtempSync(join(tmpdir(), 'sip-lapse-'));
    const before = await plans.get(planId);
    await pipeline(outboxChannel(outbox, () => {}))();
    const plan = await plans.get(planId);
    expect(plan?.version).toBe(before?.version);
    expect(plan?.consents[0]?.lapsedAt).toBeUndefined();
    expect((await api.call('GET', `/plans/${planId}/deadlines`)).json.items).toContainEqual(
      expect.objectContaining({ kind: 'consentExpiry', state: 'overdue' }),
    );
    expect(readdirSync(outbox).some((f) => f.startsWith(planId) && f.includes('_lapse_'))).toBe(true);
  });

  it('reminds the new lead responsible once the lead changes', async () => {
    const planId = await driver.planAt('established');
    await driver.refresh(planId);
    const plan = await plans.get(planId);
    const lead = plan?.content?.leadResponsible;
    if (!lead) throw new Error('the plan has no lead responsible');
    await driver.patch(planId, {
      content: {
        leadResponsible: { ...lead, person: { name: 'Nils Ny', email: 'nils.ny@example.se', mobile: null } },
      },
    });
    // The follow-up is on 9 January 2027: a week before, the reminder goes to the new lead.
    const outbox = mkdtempSync(join(tmpdir(), 'sip-lead-'));
    await pipeline(
      outboxChannel(outbox, () => {}),
      new Date('2027-01-02T10:00:00+01:00'),
    )();
    const followUp = readdirSync(outbox).filter((f) => f.startsWith(planId) && f.includes('followUp'));
    expect(followUp, followUp.join(' ')).toHaveLength(1);
    expect((await readEmail(readFileSync(join(outbox, followUp[0] ?? '')))).to).toEqual([
      'nils.ny@example.se',
    ]);
  });

  it('sends the kallelse to a unit the kallelse was forwarded to', async () => {
    const planId = await driver.planAt('initiated');
    await driver.expectOk(
      planId,
      '/consents',
      sharingConsent(undefined, [VARDCENTRAL, HEMTJANST, GERIATRIK, GERIATRIK_OSTER.organisationId]),
    );
    const sent = await driver.expectOk(planId, '/invitations', invitation('2026-12-03T10:00:00+01:00'));
    await driver.expectOk(planId, `/invitations/${sent.invitations[0].id}/responses`, {
      organisationId: GERIATRIK,
      kind: 'forward',
      forwardedTo: GERIATRIK_OSTER,
    });
    const outbox = mkdtempSync(join(tmpdir(), 'sip-forward-'));
    await pipeline(outboxChannel(outbox, () => {}))();
    const kallelser = readdirSync(outbox).filter((f) => f.startsWith(planId) && f.includes('kallelse_'));
    expect(kallelser.some((f) => f.includes(GERIATRIK_OSTER.organisationId))).toBe(true);
  });
});

describe('the due-time index', () => {
  it('moves a stale entry on instead of reading the plan again on every run', async () => {
    const planId = await driver.planAt('initiated');
    const client = createDocumentClient({
      tableName: process.env.TABLE_NAME ?? '',
      endpoint: process.env.DYNAMODB_ENDPOINT,
    });
    // An entry left in the past, as after a change of lead times: nothing of the plan is due at NOW.
    const stale = new Date('2026-11-01T00:00:00Z');
    const future = new Date('2026-11-02T08:00:00Z');
    await client.send(
      new PutCommand({
        TableName: process.env.TABLE_NAME ?? '',
        Item: { ...keys.dueEntry(planId), ...keys.dueIndex(planId, stale), kind: 'due', planId },
      }),
    );
    expect(await plans.duePlanIds(future)).toContain(planId);
    await pipeline(
      outboxChannel(mkdtempSync(join(tmpdir(), 'sip-stale-')), () => {}),
      future,
    )();
    expect(await plans.duePlanIds(future)).not.toContain(planId);
  });
});

describe('SMS at night', () => {
  it('is held in the table until 08:00 Stockholm time and handed on by the check then; e-mail goes at once', async () => {
    const sent: string[] = [];
    const channel: Channel = {
      sendEmail: async (email) => void sent.push(`email ${email.id}`),
      sendSms: async (sms) => void sent.push(`sms ${sms.id}`),
    };
    const planId = await driver.planAt('established');
    const message = (kind: 'email' | 'sms'): ReminderMessage => ({
      deliveryId: `${planId}/followUp:2027-01-09/dueDay/${kind}`,
      reminderId: 'followUp:2027-01-09/dueDay',
      planId,
      about: { type: 'deadline', kind: 'followUp', stage: 'dueDay', dueAt: '2027-01-10T00:00:00.000+01:00' },
      channel: kind,
      to: kind === 'sms' ? '+46701234567' : 'anna@example.se',
      recipient: { role: 'leadResponsible', organisationId: VARDCENTRAL },
    });
    const at = (iso: string) => ({
      ledger,
      channel,
      appBaseUrl: 'https://sip.example',
      sender: 'sip@region.example.se',
      now: new Date(iso),
      hold,
    });
    expect(await deliverReminder(message('sms'), at('2027-01-09T21:00:00+01:00'))).toEqual({
      outcome: 'held',
      until: new Date('2027-01-10T08:00:00+01:00'),
    });
    expect(await deliverReminder(message('email'), at('2027-01-10T03:00:00+01:00'))).toEqual({
      outcome: 'sent',
    });
    expect(sent).toEqual([`email ${message('email').deliveryId}`]);
    // The held SMS is an item in the due-time index: due at 08:00, not before.
    const heldAt = (iso: string) =>
      plans
        .dueItems(new Date(iso))
        .then((items) => items.filter((i) => i.sk.startsWith('HELD#') && i.planId === planId));
    expect(await heldAt('2027-01-10T07:59:00+01:00')).toEqual([]);
    expect(await heldAt('2027-01-10T08:00:00+01:00')).toHaveLength(1);
    // The check at 08:00 hands it on; delivery sends it, once, and lets it go.
    const queue: ReminderQueue = {
      send: async (messages) => {
        for (const m of messages) await deliverReminder(m, at('2027-01-10T08:00:00+01:00'));
      },
    };
    const eight = new Date('2027-01-10T08:00:00+01:00');
    const result = await runDeadlineCheck({ plans, book, reports, queue, settings, now: eight });
    expect(result.released).toBeGreaterThanOrEqual(1);
    expect(sent.filter((s) => s === `sms ${message('sms').deliveryId}`)).toHaveLength(1);
    expect(await heldAt('2027-01-10T09:00:00+01:00')).toEqual([]);
    expect(await deliverReminder(message('sms'), at('2027-01-10T09:00:00+01:00'))).toEqual({
      outcome: 'duplicate',
    });
  });
});

describe('crashes at every step boundary', () => {
  const boundaries = [
    'after reading',
    'after enqueueing',
    'after sending',
    'before recording the send',
  ] as const;
  /** Whose plan the crash hits: a reminder to the convener, or the notices of a plan that has ended. */
  const targets = ['kallelse reminder', 'ending notices'] as const;
  const cases = boundaries.flatMap((boundary) => targets.map((target) => [boundary, target] as const));

  it.each(cases)(
    '%s, in the %s: every due reminder and notice is delivered exactly once once the runs are quiet',
    async (boundary, target) => {
      const planIds = [await overdueKallelsePlan(), await overdueKallelsePlan()];
      // Closed at NOW: the vårdcentral (Anna) and the geriatric ward (Karin Berg, who noticed the need) are
      // told by e-mail; home care has no address and is recorded as undeliverable.
      const ended = await driver.create(elsa);
      await driver.expectOk(ended, '/closure', {
        reason: 'needsMet',
        informed: [],
        whereToTurn: 'Vårdcentralen.',
      });
      const crashIn = target === 'ending notices' ? ended : planIds[0];
      const outbox = mkdtempSync(join(tmpdir(), 'sip-crash-'));
      const files = outboxChannel(outbox, () => {});
      const sends = new Map<string, number>();
      let crashes = 0;
      let clock = NOW;
      const crashOnce = (where: (typeof boundaries)[number], planId: string | undefined) => {
        if (where === boundary && planId === crashIn && crashes === 0) {
          crashes++;
          throw new Error(`crash ${where}`);
        }
      };
      const planOf = (deliveryId: string) => deliveryId.slice(0, deliveryId.indexOf('/'));
      const channel: Channel = {
        async sendEmail(email) {
          sends.set(email.id, (sends.get(email.id) ?? 0) + 1);
          await files.sendEmail(email);
          crashOnce('after sending', planOf(email.id));
        },
        async sendSms(sms) {
          sends.set(sms.id, (sends.get(sms.id) ?? 0) + 1);
          await files.sendSms(sms);
        },
      };
      const crashingLedger: DeliveryLedger = {
        claim: (planId, id, now) => ledger.claim(planId, id, now),
        async markSent(planId, id, now) {
          crashOnce('before recording the send', planId);
          await ledger.markSent(planId, id, now);
        },
      };
      const crashingPlans: PlanStore = {
        ...plans,
        async get(planId) {
          const plan = await plans.get(planId);
          crashOnce('after reading', planId);
          return plan;
        },
      };
      const crashingBook: ReminderBook = {
        ...book,
        async record(planId, records) {
          crashOnce('after enqueueing', planId);
          await book.record(planId, records);
        },
      };
      const queue: ReminderQueue = {
        async send(messages) {
          for (const message of messages) {
            await deliverReminder(message, {
              ledger: crashingLedger,
              channel,
              appBaseUrl: 'https://sip.example',
              sender: 'sip@region.example.se',
              now: clock,
              isStillDue: stillDue(plans, settings),
              hold,
            });
          }
        },
      };
      // Run until a run finds nothing to do, as the schedule would; every crash is a failed run.
      // Runs every 4 minutes, as the schedule would; a claim left by a dead delivery expires after 3.
      for (let run = 0; run < 10; run++) {
        clock = new Date(NOW.getTime() + run * 240_000);
        try {
          const result = await runDeadlineCheck({
            plans: crashingPlans,
            book: crashingBook,
            reports,
            queue,
            settings,
            now: clock,
          });
          if (result.reminders === 0 && run > 1) break;
        } catch {
          // the scheduler retries
        }
      }
      expect(crashes).toBe(1);
      for (const planId of planIds) {
        const delivered = filesIn(outbox).filter((f) => f.startsWith(planId));
        expect(delivered.sort(), `lost for ${planId}`).toEqual([
          `${planId}_kallelseAfterDischarge_overdue_email.eml`,
          `${planId}_kallelseAfterDischarge_overdue_sms.json`,
        ]);
        const recorded = (await handled(planId)).filter((r) =>
          r.deadlineKey.startsWith('kallelseAfterDischarge'),
        );
        expect(recorded.map((r) => r.id.replace(/@\d{4}-\d{2}-\d{2}/, '')).sort()).toEqual([
          'kallelseAfterDischarge/overdue',
          'kallelseAfterDischarge/reminder',
        ]);
      }
      // Each organisation of the ended plan once: two e-mails, three records (home care undeliverable).
      const notices = readdirSync(outbox).filter((f) => f.startsWith(`${ended}_planEnded_`));
      expect(notices.sort(), `lost for ${ended}`).toEqual(
        [
          `${ended}_planEnded_${GERIATRIK}_closed_email.eml`,
          `${ended}_planEnded_${VARDCENTRAL}_closed_email.eml`,
        ].sort(),
      );
      const recordedNotices = (await handled(ended)).filter((r) => r.deadlineKey.startsWith('planEnded:'));
      expect(recordedNotices.map((r) => [r.id, r.undeliverable ?? false]).sort()).toEqual(
        [
          [`planEnded:${GERIATRIK}/closed`, false],
          [`planEnded:${HEMTJANST}/closed`, true],
          [`planEnded:${VARDCENTRAL}/closed`, false],
        ].sort(),
      );
      // A delivery that died between sending and recording the send is sent again once its claim has expired:
      // the one boundary no mail or SMS API lets us close. The outbox names messages by delivery id, so the
      // recipient still has each once (above); through SES or SNS it would be one repeat.
      const repeated = [...sends.entries()].filter(([, count]) => count > 1).map(([id]) => planOf(id));
      expect(repeated).toEqual(
        boundary === 'after sending' || boundary === 'before recording the send' ? [crashIn] : [],
      );
    },
  );
});
