/**
 * "Everyone is told" when a plan ends: over HTTP and through the deadline check, notify and the outbox,
 * against DynamoDB Local. Closing, restarting and "SIP not needed" each send the notice once to every
 * participating organisation — whatever its consent — at the contact's address, and record one without an
 * address as undeliverable; the record says who was told and when. Expected recipients and records are
 * written by hand from Elsa's plan (test/support/scenarios.ts):
 *
 * - the geriatric ward noticed the need (Karin Berg, karin.berg@example.se) and takes part;
 * - the vårdcentral convenes and leads (Anna Andersson, anna.andersson@example.se);
 * - home care takes part with no contact person, and the kallelser here name none: no address.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_SETTINGS } from '../../shared/domain/deadlines/settings.ts';
import { PERSONAL_IDENTITY_NUMBER } from '../../shared/privacy/redaction.ts';
import { outboxChannel } from '../../shared/reminders/channels.ts';
import { type ReminderQueue, runDeadlineCheck } from '../../shared/reminders/check.ts';
import type { ReminderMessage } from '../../shared/reminders/message.ts';
import { deliverReminder } from '../../shared/reminders/notify.ts';
import { stillDue } from '../../shared/reminders/still-due.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createDeliveryLedger } from '../../shared/store/delivery-ledger.ts';
import { createPlanStore } from '../../shared/store/plan-store.ts';
import { createReminderBook, type ReminderBook } from '../../shared/store/reminder-book.ts';
import { createReportStore } from '../../shared/store/report-events.ts';
import { startTestApi } from '../support/api.ts';
import { readEmail } from '../support/email.ts';
import { establishmentConsent, followUp, planDriver, sharingConsent } from '../support/process.ts';
import { elsa, GERIATRIK, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

const ANNA = 'anna.andersson@example.se';
const KARIN = 'karin.berg@example.se';
/** The day of Elsa's meeting is past: the plans here end on 20 November 2026. */
const ENDS = new Date('2026-11-20T10:00:00+01:00');
/** What the plans here say that no notice may repeat: her name, her number, why the plan ended. */
const REASON = 'Elsa flyttar till sin dotter i Umeå.';

let clock = new Date('2026-11-10T09:00:00+01:00');
let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
let book: ReminderBook;
let check: () => ReturnType<typeof runDeadlineCheck>;
/** Every message the check handed on, and the outbox notify wrote them to. */
const queued: ReminderMessage[] = [];
const outbox = mkdtempSync(join(tmpdir(), 'sip-notices-'));

beforeAll(async () => {
  api = await startTestApi({ clock: () => clock });
  driver = planDriver(api);
  const tableName = process.env.TABLE_NAME ?? '';
  const client = createDocumentClient({ tableName, endpoint: process.env.DYNAMODB_ENDPOINT });
  const plans = createPlanStore(client, tableName);
  const ledger = createDeliveryLedger(client, tableName);
  book = createReminderBook(client, tableName);
  const reports = createReportStore(client, tableName);
  const channel = outboxChannel(outbox, () => {});
  const settings = DEFAULT_DEADLINE_SETTINGS;
  // As notify runs in AWS and locally: the plan read again just before sending (`stillDue`).
  const queue: ReminderQueue = {
    async send(messages) {
      queued.push(...messages);
      for (const message of messages)
        await deliverReminder(message, {
          ledger,
          channel,
          appBaseUrl: 'https://sip.example',
          sender: 'sip@region.example.se',
          now: clock,
          isStillDue: stillDue(plans, settings),
          hold: (held, until) => book.hold(held, until),
        });
    },
  };
  check = () => runDeadlineCheck({ plans, book, reports, queue, settings, now: clock });
});
afterAll(() => api?.close());

/** The notices of a plan that reached the outbox: to whom, about what. */
async function noticesSent(planId: string) {
  const files = readdirSync(outbox).filter((f) => f.startsWith(`${planId}_planEnded_`));
  return Promise.all(
    files.map(async (f) => ({ file: f, email: await readEmail(readFileSync(join(outbox, f))) })),
  );
}
const recipients = async (planId: string) => (await noticesSent(planId)).flatMap((n) => n.email.to).sort();
const noticeRecords = async (planId: string) =>
  (await book.handled(planId)).filter((r) => r.deadlineKey.startsWith('planEnded:'));
const deadlinesOf = async (planId: string) => (await api.call('GET', `/plans/${planId}/deadlines`)).json;

/** Runs the check twice at the moment the plan ended: the second run must find nothing of it. */
async function checkTwice(planId: string) {
  await check();
  const once = {
    files: await recipients(planId),
    messages: queued.filter((m) => m.planId === planId).length,
  };
  await check();
  expect(await recipients(planId)).toEqual(once.files);
  expect(queued.filter((m) => m.planId === planId)).toHaveLength(once.messages);
}

/** Nothing of the individual or of why the plan ended in any notice: subject, text or the queued message. */
async function expectNothingPersonal(planId: string) {
  const texts = [
    ...(await noticesSent(planId)).flatMap(({ email }) => [email.subject, email.text, email.rawHeaders]),
    ...queued.filter((m) => m.planId === planId).map((m) => JSON.stringify(m)),
  ];
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) {
    expect(text).not.toMatch(PERSONAL_IDENTITY_NUMBER);
    expect(text).not.toMatch(/Elsa|Exempel|194203|Umeå|flyttar|dotter|Storgatan/);
  }
}

describe('closing a plan', () => {
  it('tells each participating organisation once, whatever its consent, and records who was told and when', async () => {
    clock = new Date('2026-11-10T09:00:00+01:00');
    const planId = await driver.create(elsa);
    // The consent to share names the vårdcentral and home care only: the geriatric ward may not read the
    // plan, and is told all the same.
    await driver.expectOk(planId, '/consents', sharingConsent(undefined, [VARDCENTRAL, HEMTJANST]));
    clock = ENDS;
    const closed = await driver.expectOk(planId, '/closure', {
      reason: 'other',
      reasonText: REASON,
      informed: ['Elsa Exempel'],
      whereToTurn: 'Ring vårdcentralen.',
      individualToldAt: '2026-11-20T09:30:00+01:00',
    });
    const closedAt = closed.closure.closedAt;
    expect(closedAt).toBe('2026-11-20T10:00:00.000+01:00');
    expect(closed.closure.individualToldAt).toBe('2026-11-20T09:30:00+01:00');

    // Before the check has run: owed to each, handed on to none yet.
    expect((await deadlinesOf(planId)).notices).toEqual(
      expect.arrayContaining([
        { organisationId: GERIATRIK, outcome: 'closed', dueAt: closedAt },
        { organisationId: VARDCENTRAL, outcome: 'closed', dueAt: closedAt },
        { organisationId: HEMTJANST, outcome: 'closed', dueAt: closedAt },
      ]),
    );

    await checkTwice(planId);
    expect(await recipients(planId)).toEqual([ANNA, KARIN].sort());
    for (const { email } of await noticesSent(planId)) {
      expect(email.subject).toMatch(/^SIP-[0-9A-F]{6}: SIP avslutad$/);
      expect(email.text).toContain('avslutades 20 november 2026 och gäller inte längre.');
      expect(email.text).toContain(`Öppna planen: https://sip.example/app/plans/${planId}`);
    }
    await expectNothingPersonal(planId);

    const records = await noticeRecords(planId);
    expect(records.map((r) => [r.id, r.recipient, r.undeliverable ?? false]).sort()).toEqual(
      [
        [`planEnded:${GERIATRIK}/closed`, { role: 'participant', organisationId: GERIATRIK }, false],
        [`planEnded:${HEMTJANST}/closed`, { role: 'participant', organisationId: HEMTJANST }, true],
        [`planEnded:${VARDCENTRAL}/closed`, { role: 'participant', organisationId: VARDCENTRAL }, false],
      ].sort(),
    );

    // The record, over HTTP: who was told and when; home care could not be.
    const told = '2026-11-20T10:00:00.000+01:00';
    const { notices } = await deadlinesOf(planId);
    expect([...notices].sort((a, b) => a.organisationId.localeCompare(b.organisationId))).toEqual(
      [
        { organisationId: GERIATRIK, outcome: 'closed', dueAt: closedAt, queuedAt: told },
        { organisationId: VARDCENTRAL, outcome: 'closed', dueAt: closedAt, queuedAt: told },
        {
          organisationId: HEMTJANST,
          outcome: 'closed',
          dueAt: closedAt,
          queuedAt: told,
          undeliverable: true,
        },
      ].sort((a, b) => a.organisationId.localeCompare(b.organisationId)),
    );

    // The plan document says when she was told where to turn.
    const document = await api.call('GET', `/plans/${planId}/document`);
    expect(document.text).toContain('Du fick veta om avslutet och vart du kan vända dig 20 november 2026.');
  });

  it('refuses a moment the individual was told that lies ahead, naming it, and writes nothing', async () => {
    clock = ENDS;
    const planId = await driver.create(elsa);
    const refused = await driver.send(planId, '/closure', {
      reason: 'needsMet',
      informed: [],
      whereToTurn: 'Ring vårdcentralen.',
      individualToldAt: '2026-11-21T09:30:00+01:00',
    });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ type: '/problems/moment-in-future', pointer: '/individualToldAt' });
    expect((await api.call('GET', `/plans/${planId}`)).json.status).toBe('initiated');
  });

  it('by a closing follow-up: the moment the individual was told is named in its closure, and notices go', async () => {
    clock = new Date('2026-11-10T09:00:00+01:00');
    const planId = await driver.planAt('established');
    // Held on 9 January 2027 and recorded an hour later (the driver pins the API's clock to then).
    const closing = (individualToldAt: string) =>
      followUp({
        outcome: 'closed',
        nextFollowUp: undefined,
        closure: { reason: 'needsMet', informed: [], whereToTurn: 'Ring vårdcentralen.', individualToldAt },
      });
    const refused = await driver.send(planId, '/follow-ups', closing('2027-01-10T10:00:00+01:00'));
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      type: '/problems/moment-in-future',
      pointer: '/closure/individualToldAt',
    });
    const closed = await driver.expectOk(planId, '/follow-ups', closing('2027-01-09T10:30:00+01:00'));
    expect(closed.closure.individualToldAt).toBe('2027-01-09T10:30:00+01:00');
    clock = new Date('2027-01-09T12:00:00+01:00');
    await checkTwice(planId);
    expect(await recipients(planId)).toEqual([ANNA, KARIN].sort());
    expect((await noticeRecords(planId)).map((r) => [r.id, r.dueAt]).sort()).toEqual(
      [GERIATRIK, HEMTJANST, VARDCENTRAL]
        .map((org) => [`planEnded:${org}/closed`, closed.closure.closedAt])
        .sort(),
    );
  });

  it('by withdrawing the consent to establish it, notices go all the same', async () => {
    clock = new Date('2026-11-10T09:00:00+01:00');
    const planId = await driver.planAt('established');
    clock = ENDS;
    const current = (await api.call('GET', `/plans/${planId}`)).json;
    const consent = current.consents.find((c: { kind: string }) => c.kind === 'planEstablishment');
    await driver.refresh(planId);
    const closed = await driver.expectOk(planId, `/consents/${consent.id}/withdrawal`, {
      individualToldAt: '2026-11-20T09:00:00+01:00',
    });
    expect(closed).toMatchObject({
      status: 'closed',
      closure: { reason: 'consentWithdrawn', individualToldAt: '2026-11-20T09:00:00+01:00' },
    });
    await checkTwice(planId);
    expect(await recipients(planId)).toEqual([ANNA, KARIN].sort());
    expect((await noticeRecords(planId)).map((r) => r.id).sort()).toEqual(
      [GERIATRIK, HEMTJANST, VARDCENTRAL].map((org) => `planEnded:${org}/closed`).sort(),
    );
  });
});

describe('restarting a plan', () => {
  it('tells each participating organisation of the old plan that it was closed and restarted; the new one owes nothing', async () => {
    clock = new Date('2026-11-10T09:00:00+01:00');
    const planId = await driver.create(elsa);
    await driver.expectOk(planId, '/consents', sharingConsent());
    await driver.expectOk(planId, '/consents', establishmentConsent());
    clock = ENDS;
    const res = await driver.send(planId, '/restart', {
      longTermGoal: 'Att flytta till ett seniorboende.',
      informed: ['Elsa Exempel'],
      individualToldAt: '2026-11-20T09:45:00+01:00',
    });
    expect(res.status).toBe(201);
    const restartedAs = res.json.planId;

    await checkTwice(planId);
    expect(await recipients(planId)).toEqual([ANNA, KARIN].sort());
    for (const { email } of await noticesSent(planId))
      expect(email.subject).toMatch(/^SIP-[0-9A-F]{6}: SIP avslutad och omstartad$/);
    await expectNothingPersonal(planId);
    expect((await noticeRecords(planId)).map((r) => [r.id, r.undeliverable ?? false]).sort()).toEqual(
      [
        [`planEnded:${GERIATRIK}/restarted`, false],
        [`planEnded:${HEMTJANST}/restarted`, true],
        [`planEnded:${VARDCENTRAL}/restarted`, false],
      ].sort(),
    );
    expect(await recipients(restartedAs)).toEqual([]);
    expect((await deadlinesOf(restartedAs)).notices).toEqual([]);
    const old = (await api.call('GET', `/plans/${planId}`)).json;
    expect(old.closure).toMatchObject({
      reason: 'goalChanged',
      individualToldAt: '2026-11-20T09:45:00+01:00',
    });
  });
});

describe('SIP not needed', () => {
  it('tells each participating organisation once, from the moment it was recorded', async () => {
    clock = new Date('2026-11-10T09:00:00+01:00');
    const planId = await driver.create(elsa);
    clock = ENDS;
    const plan = await driver.expectOk(planId, '/discharge-events', {
      event: 'sipNotNeeded',
      // Assessed by inpatient care the day before; recorded now.
      at: '2026-11-19T15:00:00+01:00',
      reason: REASON,
    });
    expect(plan.status).toBe('notNeeded');
    expect(plan.discharge.sipNotNeeded.recordedAt).toBe('2026-11-20T10:00:00.000+01:00');

    await checkTwice(planId);
    expect(await recipients(planId)).toEqual([ANNA, KARIN].sort());
    for (const { email } of await noticesSent(planId)) {
      expect(email.subject).toMatch(/^SIP-[0-9A-F]{6}: SIP behövs inte$/);
      expect(email.text).toContain('avslutades 20 november 2026 och gäller inte längre.');
    }
    await expectNothingPersonal(planId);
    const { notices } = await deadlinesOf(planId);
    expect(notices).toHaveLength(3);
    expect(notices.filter((n: { undeliverable?: boolean }) => n.undeliverable)).toEqual([
      {
        organisationId: HEMTJANST,
        outcome: 'notNeeded',
        dueAt: '2026-11-20T10:00:00.000+01:00',
        queuedAt: '2026-11-20T10:00:00.000+01:00',
        undeliverable: true,
      },
    ]);
  });
});
