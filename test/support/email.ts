/**
 * Reading the service's e-mails and calendar events as a recipient's software would, with parsers nobody
 * here wrote: postal-mime for the message (RFC 5322, MIME, RFC 2047) and Mozilla's ical.js for the meeting
 * request (RFC 5545). The line rules are checked on the raw text, straight from the RFCs.
 */
import ICAL from 'ical.js';
import PostalMime from 'postal-mime';

export interface ReadEmail {
  raw: string;
  /** The header section as sent, folded lines and all. */
  rawHeaders: string;
  headers: Map<string, string>;
  from: string | undefined;
  to: string[];
  subject: string;
  date: Date | undefined;
  messageId: string | undefined;
  text: string;
  /** The meeting request, when there is one: the attached `.ics` (else the `text/calendar` part). */
  calendar: string | undefined;
  attachmentNames: string[];
}

export async function readEmail(raw: Buffer | string): Promise<ReadEmail> {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  const email = await PostalMime.parse(text, { attachmentEncoding: 'utf8' });
  // The attached file first: base64 keeps its bytes exactly, line ends included.
  const calendar =
    email.attachments.find((a) => a.filename?.endsWith('.ics')) ??
    email.attachments.find((a) => a.mimeType === 'text/calendar');
  const mailbox = (address: { address?: string | undefined } | undefined) => address?.address;
  return {
    raw: text,
    rawHeaders: text.slice(0, text.indexOf('\r\n\r\n')),
    headers: new Map(email.headers.map((h) => [h.key, h.value])),
    from: mailbox(email.from),
    to: (email.to ?? []).map(mailbox).filter((a): a is string => a !== undefined),
    subject: email.subject ?? '',
    date: email.date ? new Date(email.date) : undefined,
    messageId: email.messageId,
    text: email.text ?? '',
    calendar: calendar ? String(calendar.content) : undefined,
    attachmentNames: email.attachments.map((a) => a.filename ?? ''),
  };
}

/** RFC 2047 §2: an encoded word, `=?charset?encoding?text?=`. */
export const ENCODED_WORD = /=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=/g;

export interface ReadEvent {
  method: string;
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location: string | null;
  url: string | null;
  organizer: string;
  attendees: { value: string; role: string; rsvp: string }[];
}

/** The one event of a meeting request, as Mozilla's parser reads it. */
export function readCalendar(ics: string): ReadEvent {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT in the calendar');
  const event = new ICAL.Event(vevent);
  const value = (name: string) => {
    const v = vevent.getFirstPropertyValue(name);
    return v === null ? null : String(v);
  };
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate(),
    end: event.endDate.toJSDate(),
    summary: event.summary,
    description: event.description,
    location: value('location'),
    url: value('url'),
    organizer: String(vevent.getFirstPropertyValue('organizer')),
    attendees: vevent.getAllProperties('attendee').map((p) => ({
      value: String(p.getFirstValue()),
      role: String(p.getParameter('role')),
      rsvp: String(p.getParameter('rsvp')),
    })),
  };
}
