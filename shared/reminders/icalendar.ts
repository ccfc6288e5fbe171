/**
 * The kallelse as an iCalendar meeting request (RFC 5545, METHOD:REQUEST). The UID is the invitation's, so a
 * changed meeting time reaches calendars as an update of the same event. No personal data: the summary is
 * the plan's reference, the description a link, and the location only ever a video meeting's address (a
 * venue's address could be the individual's home).
 */
const stamp = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** Folds a content line at 75 octets, as RFC 5545 §3.1 asks. */
function fold(line: string): string {
  const bytes = Buffer.from(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + (start === 0 ? 75 : 74), bytes.length);
    // Never split a UTF-8 character.
    while (end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString());
    start = end;
  }
  return parts.join('\r\n ');
}

const escapeText = (text: string) => text.replace(/([\\;,])/g, '\\$1').replace(/\n/g, '\\n');

export function meetingRequest(options: {
  invitationId: string;
  startsAt: string;
  endsAt?: string | undefined;
  summary: string;
  description: string;
  /** The version of the event: one more each time the meeting moved. */
  sequence: number;
  /** The sender (RFC 5546 wants an organizer and the attendee in a request). */
  organizer: string;
  attendee: string;
  /** Summoned parties are required participants; invited ones optional. */
  required: boolean;
  /** A digital meeting's address: the event's LOCATION and URL, so calendars offer to join. */
  videoLink?: string | undefined;
  now: Date;
}): string {
  const end = options.endsAt ?? new Date(new Date(options.startsAt).getTime() + 90 * 60_000).toISOString();
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//SIP//samordnad individuell plan//SV',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `UID:${options.invitationId}@sip`,
    `SEQUENCE:${options.sequence}`,
    `DTSTAMP:${stamp(options.now.toISOString())}`,
    `DTSTART:${stamp(options.startsAt)}`,
    `DTEND:${stamp(end)}`,
    `ORGANIZER:mailto:${options.organizer}`,
    `ATTENDEE;ROLE=${options.required ? 'REQ-PARTICIPANT' : 'OPT-PARTICIPANT'};RSVP=TRUE:mailto:${options.attendee}`,
    `SUMMARY:${escapeText(options.summary)}`,
    `DESCRIPTION:${escapeText(options.description)}`,
    // LOCATION is text (escaped); URL is a URI, written as it is.
    ...(options.videoLink ? [`LOCATION:${escapeText(options.videoLink)}`, `URL:${options.videoLink}`] : []),
    'STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ]
    .map(fold)
    .join('\r\n');
}
