/** The AWS side of the reminder seam, checked against the real SDK clients with aws-sdk-client-mock. */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsChannel } from '../../shared/reminders/channels.ts';
import type { ReminderMessage } from '../../shared/reminders/message.ts';
import { sqsQueue } from '../../shared/reminders/queues.ts';
import { readEmail } from '../support/email.ts';

const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
beforeEach(() => {
  ses.reset();
  sns.reset();
  sqs.reset();
});

describe('the AWS channel', () => {
  it('sends e-mail through SES v2 from the configured sender, as a raw message with a Date header', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    await awsChannel({
      emailFrom: 'sip@region.example.se',
      ses: new SESv2Client({}),
      sns: new SNSClient({}),
    }).sendEmail({
      id: 'p/followUp:2027-01-09/dueDay/email',
      to: 'anna@example.se',
      subject: 'SIP-4F7A2C: Uppföljning i dag',
      text: 'Hej',
      date: new Date('2027-01-09T23:00:00Z'),
    });
    const [call] = ses.commandCalls(SendEmailCommand);
    const input = call?.args[0].input;
    expect(input?.FromEmailAddress).toBe('sip@region.example.se');
    expect(input?.Destination).toEqual({ ToAddresses: ['anna@example.se'] });
    expect(input?.Content?.Simple).toBeUndefined();
    const email = await readEmail(Buffer.from(input?.Content?.Raw?.Data ?? new Uint8Array()));
    expect(email.from).toBe('sip@region.example.se');
    expect(email.to).toEqual(['anna@example.se']);
    expect(email.subject).toBe('SIP-4F7A2C: Uppföljning i dag');
    expect(email.date).toEqual(new Date('2027-01-09T23:00:00Z'));
    expect(email.text.trim()).toBe('Hej');
    expect(email.calendar).toBeUndefined();
  });

  it('sends a kallelse with its meeting request, as the calendar alternative and as invite.ics', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm2' });
    const calendar = 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n';
    await awsChannel({
      emailFrom: 'sip@region.example.se',
      ses: new SESv2Client({}),
      sns: new SNSClient({}),
    }).sendEmail({
      id: 'p/kallelse/email',
      to: 'bo@example.se',
      subject: 'Kallelse till SIP-möte',
      text: 'Hej',
      calendar,
      date: new Date('2026-11-24T09:00:00Z'),
    });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    const raw = Buffer.from(input?.Content?.Raw?.Data ?? new Uint8Array()).toString();
    expect(input?.FromEmailAddress).toBe('sip@region.example.se');
    expect(raw).toMatch(/^Content-Type: multipart\/mixed;/m);
    expect(raw).toMatch(/^Content-Type: text\/calendar; charset=utf-8; method=REQUEST/m);
    const email = await readEmail(raw);
    expect(email.subject).toBe('Kallelse till SIP-möte');
    expect(email.attachmentNames).toContain('invite.ics');
    expect(email.calendar?.replaceAll(/\r?\n/g, '\r\n')).toBe(calendar);
  });

  it('sends SMS through SNS to the number, as transactional', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 's1' });
    await awsChannel({ emailFrom: 'x@example.se', ses: new SESv2Client({}), sns: new SNSClient({}) }).sendSms(
      {
        id: 'p/r/sms',
        to: '+46701234567',
        text: 'SIP-4F7A2C: …',
      },
    );
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toMatchObject({
      PhoneNumber: '+46701234567',
      Message: 'SIP-4F7A2C: …',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });

  it('lets a refused send fail, so the message is retried and ends in the dead-letter queue', async () => {
    ses.on(SendEmailCommand).rejects(new Error('Throttling'));
    const channel = awsChannel({
      emailFrom: 'x@example.se',
      ses: new SESv2Client({}),
      sns: new SNSClient({}),
    });
    await expect(
      channel.sendEmail({ id: 'i', to: 'a@example.se', subject: 's', text: 't', date: new Date() }),
    ).rejects.toThrow('Throttling');
  });
});

describe('the SQS hand-off', () => {
  const message = (n: number): ReminderMessage => ({
    deliveryId: `0192a6b0-0000-7000-8000-0000000000e1/r${n}/email`,
    reminderId: `r${n}`,
    planId: '0192a6b0-0000-7000-8000-0000000000e1',
    about: { type: 'deadline', kind: 'followUp', stage: 'dueDay', dueAt: '2027-01-10T00:00:00.000+01:00' },
    channel: 'email',
    to: 'anna@example.se',
    recipient: { role: 'leadResponsible', organisationId: 'SE2321000131-E000000000001' },
  });

  it('sends in batches of ten', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await sqsQueue(new SQSClient({}), 'https://sqs.eu-north-1.amazonaws.com/1/reminders').send(
      Array.from({ length: 23 }, (_, n) => message(n)),
    );
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length);
    expect(batches).toEqual([10, 10, 3]);
    const first = JSON.parse(
      sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.MessageBody ?? '{}',
    );
    expect(first).toEqual(message(0));
  });

  it('fails when SQS refuses part of a batch, so the check records nothing and hands on again next run', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [], Failed: [{ Id: '0', SenderFault: false, Code: 'x' }] });
    await expect(sqsQueue(new SQSClient({}), 'https://q').send([message(1)])).rejects.toThrow(
      /refused 1 of 1/,
    );
  });
});
