/**
 * The e-mail as an Internet message (RFC 5322 and MIME), composed by nodemailer's mail composer rather than
 * by hand: it writes the Date header, encodes a non-ASCII subject as RFC 2047 words of at most 75 characters
 * on folded lines, keeps body lines short (quoted-printable), and attaches a kallelse's meeting request as
 * the `text/calendar` alternative and as `invite.ics`, as calendar clients expect (iMIP, RFC 6047). Used for
 * SES raw sends and for the local outbox's `.eml` files alike.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface Email {
  /** Names the message: the same id twice is the same message. */
  id: string;
  to: string;
  subject: string;
  text: string;
  /** When it is sent: the Date header. */
  date: Date;
  /** An iCalendar meeting request (RFC 5545, METHOD:REQUEST) to attach as `invite.ics`. */
  calendar?: string | undefined;
}

/**
 * The message's bytes. The Message-ID is a digest of the id, so a message sent again is recognisably the
 * same one, and the id's parts (plan, deadline kind) never show in a header.
 */
export async function composeEmail(email: Email, from: string): Promise<Buffer> {
  const digest = createHash('sha256').update(email.id).digest('hex');
  const domain = from.slice(from.lastIndexOf('@') + 1) || 'sip.invalid';
  const composer = new MailComposer({
    from,
    to: email.to,
    subject: email.subject,
    date: email.date,
    messageId: `<${digest.slice(0, 32)}@${domain}>`,
    text: email.text,
    ...(email.calendar && {
      icalEvent: { method: 'REQUEST', filename: 'invite.ics', content: email.calendar },
    }),
    // CRLF throughout, as RFC 5322 and the canonical form of text (RFC 2045) ask; by default the composer
    // keeps the text's own line ends.
    newline: '\r\n',
    // The same message composes to the same bytes; nothing names the software.
    baseBoundary: digest.slice(32, 48),
    xMailer: false,
    // Content is only ever given inline: never read a file or fetch a URL named in it.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
