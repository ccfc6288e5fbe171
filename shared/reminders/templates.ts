/**
 * The Swedish texts of the reminders, one template per deadline and stage, of the kallelse and of the notice
 * that a plan has ended. They hold no personal data and nothing about the individual's health or care: only
 * the plan's reference, what is due (or what happened), by when, and a link to the plan.
 */

import type { PlanEnding } from '../domain/deadlines/deliveries.ts';
import { meetingRequest } from './icalendar.ts';
import type { MeetingFacts, ReminderMessage } from './message.ts';

let dateFormat: Intl.DateTimeFormat | undefined;
const swedishDate = (iso: string) => {
  dateFormat ??= new Intl.DateTimeFormat('sv-SE', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Stockholm',
  });
  return dateFormat.format(new Date(iso));
};

/** A short, stable reference for a plan that says nothing about the person: `SIP-4F7A2C`. */
export const planReference = (planId: string) => `SIP-${planId.replaceAll('-', '').slice(-6).toUpperCase()}`;

/** What is due: a headline for the subject and a sentence for the text. */
interface WhatIsDue {
  headline: string;
  sentence: string;
}

/**
 * What is due, by deadline kind and stage. It says what to do and by when, never why the deadline runs:
 * "räknat från utskrivningsklar" would tell every reader that the individual was in hospital care.
 * Subjects stay within 78 characters (RFC 5322) with the longest dates.
 */
function whatIsDue({ kind, stage, dueAt }: { kind: string; stage: string; dueAt: string }): WhatIsDue {
  // A deadline that ends at midnight is due "by" the day before.
  const by = swedishDate(new Date(new Date(dueAt).getTime() - 1).toISOString());
  const overdue = stage.startsWith('overdue');
  switch (kind) {
    case 'kallelseAfterDischarge':
      return overdue
        ? {
            headline: 'Kallelsen till SIP-mötet är försenad',
            sentence: `Kallelsen till SIP-mötet skulle ha skickats senast ${by}. Skicka den nu.`,
          }
        : {
            headline: `Skicka kallelsen till SIP-mötet senast ${by}`,
            sentence: `Kallelsen till SIP-mötet ska skickas senast ${by}.`,
          };
    case 'meetingAfterNeed':
      return overdue
        ? {
            headline: 'SIP-mötet har inte hållits i tid',
            sentence: `SIP-mötet har inte hållits i tid: det skulle ha hållits senast ${by}.`,
          }
        : {
            headline: `SIP-mötet bör hållas senast ${by}`,
            sentence: `Inget SIP-möte är bokat. Mötet bör hållas senast ${by}.`,
          };
    case 'startWithoutDelay':
      return {
        headline: 'Ingen kallelse till SIP-möte har skickats',
        sentence:
          'Ingen kallelse till SIP-möte har skickats, fast behovet uppmärksammades för flera dagar sedan. Arbetet ska starta utan dröjsmål.',
      };
    case 'invitationResponses':
      return {
        headline: `Svar saknas inför SIP-mötet ${swedishDate(dueAt)}`,
        sentence: `Alla kallade har inte svarat vem som kommer till SIP-mötet ${swedishDate(dueAt)}.`,
      };
    case 'followUp':
      if (stage === 'reminder')
        return {
          headline: `Uppföljning av SIP:en ${by}`,
          sentence: `Uppföljningen av SIP:en är planerad till ${by}.`,
        };
      if (stage === 'dueDay')
        return {
          headline: 'Uppföljning av SIP:en i dag',
          sentence: `Uppföljningen av SIP:en ska göras i dag, ${by}.`,
        };
      return {
        headline: 'Uppföljningen av SIP:en är försenad',
        sentence: `Uppföljningen av SIP:en skulle ha gjorts senast ${by} och är inte registrerad.`,
      };
    case 'consentExpiry':
      return stage === 'lapse'
        ? {
            headline: 'Samtycket till SIP:en har upphört',
            sentence: `Samtycket som SIP:en vilar på upphörde ${swedishDate(dueAt)}. Inhämta nytt samtycke eller avsluta planen.`,
          }
        : {
            headline: `Samtycket till SIP:en upphör ${swedishDate(dueAt)}`,
            sentence: `Samtycket som SIP:en vilar på upphör ${swedishDate(dueAt)}. Förnya det i tid eller avsluta planen.`,
          };
    default:
      return {
        headline: `En tidsgräns för SIP:en, senast ${by}`,
        sentence: `En tidsgräns för SIP:en närmar sig eller har passerats (senast ${by}).`,
      };
  }
}

export interface RenderedReminder {
  subject: string;
  text: string;
  /** For a kallelse: the meeting request to attach. */
  calendar?: string;
}

let timeFormat: Intl.DateTimeFormat | undefined;
const swedishDateTime = (iso: string) => {
  timeFormat ??= new Intl.DateTimeFormat('sv-SE', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Stockholm',
  });
  return timeFormat.format(new Date(iso));
};

/**
 * The kallelse to an invitee: when, whether the meeting is digital (and its video link), and whether they
 * are summoned (obliged to take part) or invited. A moved meeting says so first ("Ändrad tid"), and its
 * calendar event is a later version of the same one. The purpose, questions and a venue's address stay in
 * the plan: they can tell about the person.
 */
function renderKallelse(
  message: ReminderMessage,
  { meeting, sentAt }: { meeting: MeetingFacts; sentAt: string },
  reference: string,
  link: string,
  sender: string,
): RenderedReminder {
  const when = swedishDateTime(meeting.startsAt);
  const moved = meeting.sequence > 0;
  const role =
    meeting.participation === 'summoned'
      ? 'Din verksamhet är kallad och ska delta. Svara vem som kommer, eller vem som kommer i stället.'
      : 'Din verksamhet är inbjuden. Svara om ni kommer.';
  const where = !meeting.digital
    ? 'Platsen står i planen.'
    : meeting.videoLink
      ? `Mötet hålls digitalt: ${meeting.videoLink}`
      : 'Mötet hålls digitalt; länken finns i planen.';
  return {
    subject: `${moved ? 'Ändrad tid: ' : ''}Kallelse till SIP-möte ${when} (${reference})`,
    text: [
      'Hej,',
      '',
      moved
        ? `Ändrad tid: SIP-mötet hålls nu ${when}. Den tidigare tiden gäller inte längre.`
        : `Kallelse till SIP-möte ${when}.`,
      where,
      role,
      '',
      `Planens referens: ${reference}`,
      `Öppna planen och svara: ${link}`,
    ].join('\n'),
    calendar: meetingRequest({
      invitationId: meeting.invitationId,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
      summary: `SIP-möte ${reference}`,
      description: `Samordnad individuell plan ${reference}. Öppna planen: ${link}`,
      // A moved meeting is a later version of the same event.
      sequence: meeting.sequence,
      organizer: sender,
      attendee: message.to,
      required: meeting.participation === 'summoned',
      videoLink: meeting.videoLink,
      now: new Date(sentAt),
    }),
  };
}

/**
 * The notice that a plan has ended, to every participating organisation: that the plan no longer applies,
 * how (closed, closed and restarted, SIP not needed) and when, and that each organisation documents the end
 * in its own records. Never why, and nothing of the individual: it goes to organisations whatever their
 * consent, so it says only what the law wants them all to know.
 */
function renderPlanEnded(
  message: ReminderMessage,
  { outcome, at }: { outcome: PlanEnding; at: string },
  reference: string,
  link: string,
): RenderedReminder {
  const date = swedishDate(at);
  const { headline, sentence } = {
    closed: {
      headline: 'SIP avslutad',
      sentence: `Den samordnade individuella planen ${reference} avslutades ${date} och gäller inte längre.`,
    },
    restarted: {
      headline: 'SIP avslutad och omstartad',
      sentence: `Den samordnade individuella planen ${reference} avslutades ${date} och gäller inte längre. En ny plan har startats i stället.`,
    },
    notNeeded: {
      headline: 'SIP behövs inte',
      sentence: `Bedömningen är att en samordnad individuell plan inte behövs. Planeringen ${reference} avslutades ${date} och gäller inte längre.`,
    },
  }[outcome];
  return plainMessage(message, reference, link, {
    headline,
    sentence: `${sentence}\nDokumentera avslutet i er egen verksamhets dokumentation.`,
    why: 'Du får det här meddelandet eftersom din verksamhet deltar i planen: alla verksamheter som deltar får samma besked. Det innehåller inga personuppgifter; länken öppnar planen för den som fortfarande får läsa den.',
  });
}

/** A message of a headline and a sentence: the SMS says the sentence; the e-mail also why it came. */
function plainMessage(
  message: ReminderMessage,
  reference: string,
  link: string,
  { headline, sentence, why }: { headline: string; sentence: string; why: string },
): RenderedReminder {
  if (message.channel === 'sms') return { subject: reference, text: `${reference}: ${sentence} ${link}` };
  return {
    subject: `${reference}: ${headline}`,
    text: ['Hej,', '', sentence, '', `Planens referens: ${reference}`, `Öppna planen: ${link}`, '', why].join(
      '\n',
    ),
  };
}

/** `sender`: the address reminders and kallelser come from (the calendar request's organizer). */
export function renderReminder(
  message: ReminderMessage,
  appBaseUrl: string,
  sender: string,
): RenderedReminder {
  const reference = planReference(message.planId);
  // The plan's page in the workspace: the link opens it through sign-in (the API would answer a browser 401).
  const link = `${appBaseUrl.replace(/\/$/, '')}/app/plans/${message.planId}`;
  if (message.about.type === 'kallelse')
    return renderKallelse(message, message.about, reference, link, sender);
  if (message.about.type === 'planEnded') return renderPlanEnded(message, message.about, reference, link);
  return plainMessage(message, reference, link, {
    ...whatIsDue(message.about),
    why: 'Du får det här meddelandet som huvudansvarig eller sammankallande för planen. Det innehåller inga personuppgifter; logga in för att se planen.',
  });
}
