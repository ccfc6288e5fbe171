/**
 * The Swedish texts of the reminders, one template per deadline and stage. They hold no personal data:
 * only the plan's reference, what is due, by when, and a link to the plan.
 */
import type { ReminderMessage } from './message.ts';

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

/** What is due, in one sentence, by deadline kind and stage. */
function sentence({ kind, stage, dueAt }: Pick<ReminderMessage, 'kind' | 'stage' | 'dueAt'>): string {
  // A deadline that ends at midnight is due "by" the day before.
  const by = swedishDate(new Date(new Date(dueAt).getTime() - 1).toISOString());
  const overdue = stage.startsWith('overdue');
  switch (kind) {
    case 'kallelseAfterDischarge':
      return overdue
        ? `Kallelsen till SIP-mötet skulle ha skickats senast ${by}, tre dagar efter utskrivningsklar. Skicka den nu.`
        : `Kallelsen till SIP-mötet ska skickas senast ${by}, tre dagar efter utskrivningsklar.`;
    case 'meetingAfterNeed':
      return overdue
        ? `SIP-mötet har inte hållits inom tre veckor från att behovet uppmärksammades (senast ${by}).`
        : `Inget SIP-möte är bokat. Mötet bör hållas senast ${by}.`;
    case 'startWithoutDelay':
      return 'Ingen kallelse till SIP-möte har skickats, fast behovet uppmärksammades för flera dagar sedan. Arbetet ska starta utan dröjsmål.';
    case 'invitationResponses':
      return `Alla kallade har inte svarat vem som kommer till SIP-mötet ${swedishDate(dueAt)}.`;
    case 'followUp':
      if (stage === 'reminder') return `Uppföljningen av SIP:en är planerad till ${by}.`;
      if (stage === 'dueDay') return `Uppföljningen av SIP:en ska göras i dag, ${by}.`;
      return `Uppföljningen av SIP:en skulle ha gjorts senast ${by} och är inte registrerad.`;
    case 'consentExpiry':
      return stage === 'lapse'
        ? `Samtycket som SIP:en vilar på upphörde ${swedishDate(dueAt)}. Inhämta nytt samtycke eller avsluta planen.`
        : `Samtycket som SIP:en vilar på upphör ${swedishDate(dueAt)}. Förnya det i tid eller avsluta planen.`;
  }
}

export interface RenderedReminder {
  subject: string;
  text: string;
}

export function renderReminder(message: ReminderMessage, appBaseUrl: string): RenderedReminder {
  const reference = planReference(message.planId);
  const link = `${appBaseUrl.replace(/\/$/, '')}/plans/${message.planId}`;
  const what = sentence(message);
  if (message.channel === 'sms') return { subject: reference, text: `${reference}: ${what} ${link}` };
  return {
    subject: `${reference}: ${what.split('. ')[0]?.replace(/\.$/, '')}`,
    text: [
      'Hej,',
      '',
      what,
      '',
      `Planens referens: ${reference}`,
      `Öppna planen: ${link}`,
      '',
      'Du får det här meddelandet som huvudansvarig eller sammankallande för planen. Det innehåller inga personuppgifter; logga in för att se planen.',
    ].join('\n'),
  };
}
