/**
 * Where reminders go: the one seam between AWS and the local runtime. In AWS, e-mail through Amazon SES (v2)
 * and SMS through Amazon SNS; locally, files in an outbox folder. Configuration picks one; nothing else knows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { composeEmail, type Email } from './mime.ts';

export type { Email } from './mime.ts';

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
      // Always the raw message: SES's simple form would compose its own MIME, without our Date header.
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: options.emailFrom,
          Destination: { ToAddresses: [email.to] },
          Content: { Raw: { Data: await composeEmail(email, options.emailFrom) } },
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
      writeFileSync(file, await composeEmail(email, 'no-reply@sip.local'));
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
