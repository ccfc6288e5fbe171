/**
 * The reminders and kallelser as their recipients' software reads them: composed and delivered as notify
 * does it (the delivery ledger on DynamoDB Local, SES and SNS through their real SDK clients with
 * aws-sdk-client-mock), then parsed with postal-mime and Mozilla's ical.js. The expected subjects are
 * written by hand from the templates' Swedish; the line rules come from RFC 5322, 2047 and 5545.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTables } from '../../infra/local/dynamodb-local.ts';
import { awsChannel } from '../../shared/reminders/channels.ts';
import { kallelseMeeting, type MeetingFacts, ReminderMessage } from '../../shared/reminders/message.ts';
import { deliverReminder } from '../../shared/reminders/notify.ts';
import { renderReminder } from '../../shared/reminders/templates.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createDeliveryLedger, type DeliveryLedger } from '../../shared/store/delivery-ledger.ts';
import { ENCODED_WORD, type ReadEmail, readCalendar, readEmail } from '../support/email.ts';

const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);
let ledger: DeliveryLedger;
beforeAll(async () => {
  const tableName = process.env.TABLE_NAME ?? '';
  await ensureTables(process.env.DYNAMODB_ENDPOINT ?? '', {
    tableName,
    auditTableName: `${tableName}-audit`,
  });
  ledger = createDeliveryLedger(
    createDocumentClient({ tableName, endpoint: process.env.DYNAMODB_ENDPOINT }),
    tableName,
  );
});
beforeEach(() => {
  ses.reset();
  sns.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
  sns.on(PublishCommand).resolves({ MessageId: 's' });
});

const PLAN = '0192a6b0-0000-7000-8000-0000000000e1';
const REF = 'SIP-0000E1';
const SENDER = 'sip@region.example.se';
/** A weekday morning in Stockholm: nothing is held for the night. */
const NOW = new Date('2026-09-21T09:00:00+02:00');
let sends = 0;

/** A message as the cases write it: a deadline's kind, stage and due time, or a kallelse's meeting. */
interface Case {
  kind: string;
  stage: string;
  dueAt: string;
  meeting?: MeetingFacts;
  channel: ReminderMessage['channel'];
  recipient: ReminderMessage['recipient'];
}

/** Delivers one message as notify does, and returns what SES and SNS were given. */
async function deliver({ kind, stage, dueAt, meeting, ...message }: Case) {
  // A fresh id each time: the ledger would rightly refuse to send the same message twice.
  const id = `${PLAN}/test-${++sends}`;
  const to = message.channel === 'sms' ? '+46701234567' : 'anna@example.se';
  const about: ReminderMessage['about'] = meeting
    ? { type: 'kallelse', meeting, sentAt: dueAt }
    : { type: 'deadline', kind, stage, dueAt };
  const outcome = await deliverReminder(
    { ...message, about, deliveryId: `${id}/${message.channel}`, reminderId: id, planId: PLAN, to },
    {
      hold: async () => {
        throw new Error('nothing is held on a weekday morning');
      },
      ledger,
      channel: awsChannel({ emailFrom: SENDER, ses: new SESv2Client({}), sns: new SNSClient({}) }),
      appBaseUrl: 'https://sip.example.se/',
      sender: SENDER,
      now: NOW,
    },
  );
  expect(outcome).toEqual({ outcome: 'sent' });
  const raw = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Raw?.Data;
  return {
    email: raw ? await readEmail(Buffer.from(raw)) : undefined,
    sms: sns.commandCalls(PublishCommand)[0]?.args[0].input.Message,
  };
}

const recipient = { role: 'leadResponsible' as const, organisationId: 'SE2321000131-E000000000001' };

/**
 * Every deadline and stage, due on the date with the longest Swedish name of a month, and the subject
 * written out by hand. A deadline due at midnight is due "by" the day before.
 */
const REMINDERS: [string, string, string, string][] = [
  [
    'kallelseAfterDischarge',
    'reminder',
    '2026-10-01T00:00:00.000+02:00',
    'SIP-0000E1: Skicka kallelsen till SIP-mötet senast 30 september 2026',
  ],
  [
    'kallelseAfterDischarge',
    'overdue',
    '2026-10-01T00:00:00.000+02:00',
    'SIP-0000E1: Kallelsen till SIP-mötet är försenad',
  ],
  [
    'meetingAfterNeed',
    'reminder',
    '2026-10-01T00:00:00.000+02:00',
    'SIP-0000E1: SIP-mötet bör hållas senast 30 september 2026',
  ],
  [
    'meetingAfterNeed',
    'overdue',
    '2026-10-01T00:00:00.000+02:00',
    'SIP-0000E1: SIP-mötet har inte hållits i tid',
  ],
  [
    'startWithoutDelay',
    'overdue',
    '2026-10-01T00:00:00.000+02:00',
    'SIP-0000E1: Ingen kallelse till SIP-möte har skickats',
  ],
  [
    'invitationResponses',
    'reminder',
    '2026-09-30T13:00:00.000+02:00',
    'SIP-0000E1: Svar saknas inför SIP-mötet 30 september 2026',
  ],
  [
    'followUp',
    'reminder',
    '2026-10-01T00:00:00.000+02:00',
    'SIP-0000E1: Uppföljning av SIP:en 30 september 2026',
  ],
  ['followUp', 'dueDay', '2026-10-01T00:00:00.000+02:00', 'SIP-0000E1: Uppföljning av SIP:en i dag'],
  ['followUp', 'overdue', '2026-10-01T00:00:00.000+02:00', 'SIP-0000E1: Uppföljningen av SIP:en är försenad'],
  [
    'followUp',
    'overdue-3',
    '2026-10-01T00:00:00.000+02:00',
    'SIP-0000E1: Uppföljningen av SIP:en är försenad',
  ],
  [
    'consentExpiry',
    'reminder-30d',
    '2026-09-30T10:00:00.000+02:00',
    'SIP-0000E1: Samtycket till SIP:en upphör 30 september 2026',
  ],
  [
    'consentExpiry',
    'lapse',
    '2026-09-30T10:00:00.000+02:00',
    'SIP-0000E1: Samtycket till SIP:en har upphört',
  ],
];

/** Words that would tell a reader about the individual's health or care. */
const HEALTH =
  /utskriv|inskriv|sjukhus|slutenvård|vårdavdelning|avdelning|patient|diagnos|geriatri|psykiatri/i;

/** RFC 5322 §2.1.1 and §2.2.3, RFC 2047 §2, RFC 2045 §6.7: what every message we send must satisfy. */
function expectWellFormed(email: ReadEmail) {
  // CRLF line ends only, and no line longer than 78 characters (the limit a message SHOULD keep to).
  expect(email.raw.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  const long = email.raw.split('\r\n').filter((line) => line.length > 78);
  expect(long).toEqual([]);
  expect(email.rawHeaders).toMatch(/^Date: /m);
  expect(email.rawHeaders).toMatch(/^Message-ID: <[^<>@\s]+@region\.example\.se>$/m);
  expect(email.rawHeaders).toMatch(/^MIME-Version: 1\.0$/m);
  // Only ASCII in the header section: anything else travels as encoded words.
  expect(email.rawHeaders).toMatch(/^[\x20-\x7e\r\n\t]*$/);
  const subjectLines = /^Subject:.*(?:\r\n[ \t].*)*/m.exec(email.rawHeaders)?.[0] ?? '';
  for (const word of subjectLines.match(ENCODED_WORD) ?? []) expect(word.length).toBeLessThanOrEqual(75);
  for (const line of subjectLines.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  expect(email.subject.length).toBeLessThanOrEqual(78);
}

describe('a reminder e-mail', () => {
  it.each(REMINDERS)(
    'for %s, %s is well formed and says what is due: %s',
    async (kind, stage, dueAt, subject) => {
      const { email } = await deliver({ kind, stage, dueAt, channel: 'email', recipient });
      if (!email) throw new Error('nothing was sent through SES');
      expectWellFormed(email);
      expect(email.subject).toBe(subject);
      expect(email.date).toEqual(NOW);
      expect(email.from).toBe(SENDER);
      expect(email.to).toEqual(['anna@example.se']);
      expect(email.text).toContain(`Planens referens: ${REF}`);
      expect(email.text).toContain(`Öppna planen: https://sip.example.se/app/plans/${PLAN}`);
      expect(`${email.subject}\n${email.text}`).not.toMatch(HEALTH);
      // The headers name neither the plan nor the kind of deadline.
      expect(email.rawHeaders).not.toContain(PLAN);
      expect(email.rawHeaders).not.toContain(kind);
    },
  );

  it('encodes a non-ASCII subject as RFC 2047 words of at most 75 characters on folded lines', async () => {
    const { email } = await deliver({
      kind: 'invitationResponses',
      stage: 'reminder',
      dueAt: '2026-09-30T13:00:00.000+02:00',
      channel: 'email',
      recipient,
    });
    if (!email) throw new Error('nothing was sent through SES');
    const subjectLines = /^Subject:.*(?:\r\n[ \t].*)*/m.exec(email.rawHeaders)?.[0] ?? '';
    expect(subjectLines.match(ENCODED_WORD)?.length).toBeGreaterThan(0);
    expect(
      subjectLines
        .replace(/^Subject:/, '')
        .replaceAll(ENCODED_WORD, '')
        .trim(),
    ).toBe('');
  });

  it('never says why a deadline runs: no hospital care in the kallelse deadline', async () => {
    for (const stage of ['reminder', 'overdue']) {
      const message = {
        kind: 'kallelseAfterDischarge' as const,
        stage,
        dueAt: '2026-10-01T00:00:00.000+02:00',
      };
      const { email } = await deliver({ ...message, channel: 'email', recipient });
      ses.reset();
      ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
      const { sms } = await deliver({ ...message, channel: 'sms', recipient });
      sns.reset();
      sns.on(PublishCommand).resolves({ MessageId: 's' });
      for (const text of [email?.subject, email?.text, sms]) {
        expect(text).toMatch(/kallelsen till SIP-mötet/i);
        expect(text).not.toMatch(HEALTH);
      }
    }
  });
});

describe('an SMS reminder', () => {
  it.each(REMINDERS)(
    'for %s, %s names the plan and the link, and nothing about health',
    async (kind, stage, dueAt) => {
      const { sms } = await deliver({ kind, stage, dueAt, channel: 'sms', recipient });
      expect(sms).toMatch(new RegExp(`^${REF}: .+ https://sip\\.example\\.se/app/plans/${PLAN}$`));
      expect(sms).not.toMatch(HEALTH);
    },
  );
});

describe('the notice that a plan has ended', () => {
  const ORG = 'SE2120001801-E000000000010';
  const notice = (outcome: 'closed' | 'restarted' | 'notNeeded'): ReminderMessage => ({
    deliveryId: `${PLAN}/planEnded:${ORG}/${outcome}/email#${++sends}`,
    reminderId: `planEnded:${ORG}/${outcome}`,
    planId: PLAN,
    about: { type: 'planEnded', outcome, at: '2026-09-30T10:00:00.000+02:00' },
    channel: 'email',
    to: 'hemtjanst@example.se',
    recipient: { role: 'participant', organisationId: ORG },
  });
  const send = async (message: ReminderMessage) => {
    const outcome = await deliverReminder(message, {
      hold: async () => {
        throw new Error('nothing is held on a weekday morning');
      },
      ledger,
      channel: awsChannel({ emailFrom: SENDER, ses: new SESv2Client({}), sns: new SNSClient({}) }),
      appBaseUrl: 'https://sip.example.se/',
      sender: SENDER,
      now: NOW,
    });
    expect(outcome).toEqual({ outcome: 'sent' });
    const raw = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Raw?.Data;
    if (!raw) throw new Error('nothing was sent through SES');
    return readEmail(Buffer.from(raw));
  };

  it.each([
    [
      'closed',
      'SIP-0000E1: SIP avslutad',
      'Den samordnade individuella planen SIP-0000E1 avslutades 30 september 2026 och gäller inte längre.',
    ],
    ['restarted', 'SIP-0000E1: SIP avslutad och omstartad', 'En ny plan har startats i stället.'],
    [
      'notNeeded',
      'SIP-0000E1: SIP behövs inte',
      'Planeringen SIP-0000E1 avslutades 30 september 2026 och gäller inte längre.',
    ],
  ] as const)(
    '%s: a well-formed e-mail that says only that, when, and where the plan is: %s',
    async (outcome, subject, sentence) => {
      const email = await send(notice(outcome));
      expectWellFormed(email);
      expect(email.subject).toBe(subject);
      expect(email.to).toEqual(['hemtjanst@example.se']);
      expect(email.text).toContain(sentence);
      expect(email.text).toContain('Dokumentera avslutet i er egen verksamhets dokumentation.');
      expect(email.text).toContain(`Öppna planen: https://sip.example.se/app/plans/${PLAN}`);
      expect(`${email.subject}\n${email.text}`).not.toMatch(HEALTH);
      expect(email.attachmentNames).toEqual([]);
      expect(email.rawHeaders).not.toContain(PLAN);
    },
  );

  it('travels through the queue as a ReminderMessage, and nothing but the three outcomes does', () => {
    const message = notice('restarted');
    expect(ReminderMessage.parse(JSON.parse(JSON.stringify(message)))).toEqual(message);
    const other = { ...message, about: { ...message.about, outcome: 'consentRefused' } };
    expect(ReminderMessage.safeParse(other).success).toBe(false);
    // The schema is strict: a reason (or a name) cannot ride along to the organisations.
    const withReason = { ...message, about: { ...message.about, reason: 'Behoven är tillgodosedda.' } };
    expect(ReminderMessage.safeParse(withReason).success).toBe(false);
  });
});

describe('a kallelse', () => {
  const INVITATION = '0192a6b0-0000-7000-8000-0000000000a1';
  const meeting = (facts: Partial<MeetingFacts> = {}): MeetingFacts => ({
    invitationId: INVITATION,
    startsAt: '2026-09-30T10:00:00+02:00',
    digital: false,
    participation: 'summoned',
    sequence: 0,
    ...facts,
  });
  const send = (facts: Partial<MeetingFacts>) =>
    deliver({
      kind: 'kallelseDelivery',
      stage: 'sent',
      dueAt: '2026-09-21T08:30:00.000+02:00',
      channel: 'email',
      recipient: { role: 'invitee', organisationId: 'SE2321000131-E000000000002' },
      meeting: meeting(facts),
    }).then(({ email }) => {
      if (!email) throw new Error('nothing was sent through SES');
      return email;
    });

  it('is a well-formed e-mail with a meeting request Mozilla’s parser reads', async () => {
    const email = await send({});
    expectWellFormed(email);
    expect(email.subject).toBe('Kallelse till SIP-möte 30 september 2026 kl. 10:00 (SIP-0000E1)');
    expect(email.date).toEqual(NOW);
    expect(email.text).toContain('Din verksamhet är kallad och ska delta.');
    expect(email.text).toContain('Platsen står i planen.');
    expect(email.text).not.toContain('Ändrad tid');
    expect(email.attachmentNames).toContain('invite.ics');
    const event = readCalendar(email.calendar ?? '');
    expect(event).toMatchObject({
      method: 'REQUEST',
      uid: `${INVITATION}@sip`,
      sequence: 0,
      summary: `SIP-möte ${REF}`,
      location: null,
      url: null,
      organizer: `mailto:${SENDER}`,
      attendees: [{ value: 'mailto:anna@example.se', role: 'REQ-PARTICIPANT', rsvp: 'TRUE' }],
    });
    expect(event.start).toEqual(new Date('2026-09-30T08:00:00Z'));
    // No end given: the meeting is booked for an hour and a half.
    expect(event.end).toEqual(new Date('2026-09-30T09:30:00Z'));
  });

  it('has a calendar of CRLF content lines folded at 75 octets (RFC 5545 §3.1)', () => {
    // Read before MIME: the e-mail parser hands attachments back with its own line ends.
    const { calendar = '' } = renderReminder(
      {
        deliveryId: `${PLAN}/kallelse/email`,
        reminderId: `${PLAN}/kallelse`,
        planId: PLAN,
        about: {
          type: 'kallelse',
          sentAt: '2026-09-21T08:30:00.000+02:00',
          meeting: meeting({
            digital: true,
            videoLink: `https://video.region.example.se/${'x'.repeat(150)}`,
          }),
        },
        channel: 'email',
        to: 'anna@example.se',
        recipient: { role: 'invitee', organisationId: 'SE2321000131-E000000000002' },
      },
      'https://sip.example.se',
      SENDER,
    );
    expect(calendar.endsWith('\r\n')).toBe(true);
    expect(calendar.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const lines = calendar.slice(0, -2).split('\r\n');
    expect(lines.filter((line) => Buffer.byteLength(line) > 75)).toEqual([]);
    // The long link is folded, and unfolds to itself.
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    expect(readCalendar(calendar).url).toBe(`https://video.region.example.se/${'x'.repeat(150)}`);
  });

  it('says "Ändrad tid" in subject and text when the meeting moved, as a later version of the same event', async () => {
    const email = await send({ startsAt: '2026-10-02T13:00:00+02:00', sequence: 2 });
    expectWellFormed(email);
    expect(email.subject).toBe('Ändrad tid: Kallelse till SIP-möte 2 oktober 2026 kl. 13:00 (SIP-0000E1)');
    expect(email.text).toContain('Ändrad tid: SIP-mötet hålls nu 2 oktober 2026 kl. 13:00.');
    const event = readCalendar(email.calendar ?? '');
    expect(event.uid).toBe(`${INVITATION}@sip`);
    expect(event.sequence).toBe(2);
    expect(event.start).toEqual(new Date('2026-10-02T11:00:00Z'));
  });

  it('keeps the longest moved subject within 78 characters', async () => {
    const email = await send({ startsAt: '2026-09-30T23:59:00+02:00', sequence: 1 });
    expectWellFormed(email);
    expect(email.subject).toBe('Ändrad tid: Kallelse till SIP-möte 30 september 2026 kl. 23:59 (SIP-0000E1)');
  });

  it('carries a digital meeting’s video link in the text and as the event’s LOCATION and URL', async () => {
    const link = 'https://video.region.example.se/join/sip-4711?pwd=a1,b2;c3';
    const email = await send({ digital: true, videoLink: link, participation: 'invited' });
    expectWellFormed(email);
    expect(email.text).toContain(`Mötet hålls digitalt: ${link}`);
    expect(email.text).toContain('Din verksamhet är inbjuden.');
    const event = readCalendar(email.calendar ?? '');
    expect(event.location).toBe(link);
    expect(event.url).toBe(link);
    expect(event.attendees[0]?.role).toBe('OPT-PARTICIPANT');
  });

  it('says the link is in the plan when a digital meeting has none', async () => {
    const email = await send({ digital: true });
    expect(email.text).toContain('Mötet hålls digitalt; länken finns i planen.');
    expect(readCalendar(email.calendar ?? '')).toMatchObject({ location: null, url: null });
  });
});

describe('the meeting facts of a kallelse', () => {
  const invitation = {
    id: '0192a6b0-0000-7000-8000-0000000000a1',
    purpose: 'Planera stödet efter utskrivningen',
    longTermGoal: 'Bo kvar hemma',
    questions: ['Vilket stöd behövs?'],
    startsAt: '2026-09-30T10:00:00+02:00',
    invitees: [],
    sentAt: '2026-09-21T08:30:00+02:00',
    sentBy: { userId: 'anna', organisationId: 'SE2321000131-E000000000001' },
  };

  it('take a digital meeting’s video link from the plan, and nothing of its purpose or questions', () => {
    const link = 'https://video.region.example.se/join/sip-4711';
    const facts = kallelseMeeting(
      { ...invitation, place: { kind: 'digital', videoLink: link }, reschedules: 1 },
      { participation: 'summoned' },
    );
    expect(facts).toEqual({
      invitationId: invitation.id,
      startsAt: invitation.startsAt,
      digital: true,
      videoLink: link,
      participation: 'summoned',
      sequence: 1,
    });
  });

  it('name no place for a meeting at a venue: its address could be the individual’s home', () => {
    const facts = kallelseMeeting(
      { ...invitation, place: { kind: 'home', address: 'Storgatan 1' } },
      { participation: 'invited' },
    );
    expect(facts).toEqual({
      invitationId: invitation.id,
      startsAt: invitation.startsAt,
      digital: false,
      participation: 'invited',
      sequence: 0,
    });
  });
});
