/**
 * Where reminders go: the one seam between AWS and the local runtime. In AWS, e-mail through Amazon SES (v2)
 * and SMS through Amazon SNS; locally, files in an outbox folder. Configuration picks one; nothing else knows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

export interface Email {
  /** Names the message: the same id twice is the same message. */
  id: string;
  to: string;
  subject: string;
  text: string;
  /** An iCalendar meeting request (RFC 5545) to attach as `invite.ics`. */
  calendar?: string | undefined;
}

/**
 * The e-mail as MIME (RFC 5322/2045): plain text, and the meeting request as a `text/calendar` part when
 * there is one. Used for SES raw sends and for the outbox's `.eml` files alike.
 */
export function mimeMessage(email: Email, from: string): string {
  const subject = `=?UTF-8?B?${Buffer.from(email.subject).toString('base64')}?=`;
  const headers = [
    `From: ${from}`,
    `To: ${email.to}`,
    `Subject: ${subject}`,
    `Message-ID: <${email.id.replaceAll(/[^\w.-]+/g, '.')}@sip>`,
    'MIME-Version: 1.0',
  ];
  // Plain 8-bit UTF-8 text: short lines, readable as it is in the outbox.
  const text = [
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    email.text.replaceAll(/\r?\n/g, '\r\n'),
  ];
  if (!email.calendar) return [...headers, ...text, ''].join('\r\n');
  const boundary = `sip-${Buffer.from(email.id).toString('hex').slice(0, 24)}`;
  return [
    ...headers,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    ...text,
    `--${boundary}`,
    'Content-Type: text/calendar; charset=UTF-8; method=REQUEST; name="invite.ics"',
    'Content-Disposition: attachment; filename="invite.ics"',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(email.calendar),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

const base64Lines = (content: string) =>
  (
    Buffer.from(content)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');

export interface Sms {
  id: string;
  to: string;
  text: string;
}

export interface Channel {
  sendEmail(email: Email): Promise<void>;
  sendSms(sms: Sms): Promise<void>;
}

export function awsChannel(options: { emailFrom: string; ses?: SESv2Client; sns?: SNSClient }): Channel {
  const ses = options.ses ?? new SESv2Client({});
  const sns = options.sns ?? new SNSClient({});
  return {
    async sendEmail(email) {
      if (email.calendar) {
        // Attachments need the raw MIME message.
        await ses.send(
          new SendEmailCommand({
            FromEmailAddress: options.emailFrom,
            Destination: { ToAddresses: [email.to] },
            Content: { Raw: { Data: Buffer.from(mimeMessage(email, options.emailFrom)) } },
          }),
        );
        return;
      }
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: options.emailFrom,
          Destination: { ToAddresses: [email.to] },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
            },
          },
        }),
      );
    },
    async sendSms(sms) {
      await sns.send(
        new PublishCommand({
          PhoneNumber: sms.to,
          Message: sms.text,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
      );
    },
  };
}

/**
 * The local channel: each message a file under `<outbox>/`, named by its id — so delivering the same
 * reminder twice still leaves one message — and a line on the console.
 */
export function outboxChannel(outbox: string, log: (line: string) => void = console.log): Channel {
  mkdirSync(outbox, { recursive: true });
  const fileName = (id: string, extension: string) => `${id.replaceAll(/[^\w.-]+/g, '_')}.${extension}`;
  return {
    async sendEmail(email) {
      const file = join(outbox, fileName(email.id, 'eml'));
      const eml = mimeMessage(email, 'no-reply@sip.local');
      writeFileSync(file, eml);
      // The console gets what is sent and where the file is, not the address.
      log(`outbox  e-mail: ${email.subject} (${file})`);
    },
    async sendSms(sms) {
      const file = join(outbox, fileName(sms.id, 'json'));
      writeFileSync(file, `${JSON.stringify({ to: sms.to, text: sms.text }, null, 2)}\n`);
      log(`outbox  SMS (${file})`);
    },
  };
}
