/** Drives plans through the SIP process over HTTP, as a journal system would, keeping track of ETags. */

import type { TokenRequest } from '../../infra/local/auth.ts';
import { toStockholmTimestamp } from '../../shared/domain/time.ts';
import type { startTestApi } from './api.ts';
import { elsa, GERIATRIK, HEMTJANST, VARDCENTRAL } from './scenarios.ts';

type Api = Awaited<ReturnType<typeof startTestApi>>;

export const REGION_NEURO = 'SE2321000131-E000000000030';

/** Consent to share information with every organisation in Elsa's plan, given orally and documented. */
export const sharingConsent = (
  givenAt = '2026-11-08T15:00:00+01:00',
  recipients = [VARDCENTRAL, HEMTJANST, GERIATRIK],
) => ({
  kind: 'informationSharing',
  form: 'oral',
  givenBy: { kind: 'individual' },
  recipients,
  scope: 'Uppgifter om hälsa, boende och behov av stöd efter utskrivning.',
  categories: ['goals', 'interventions', 'situation', 'identity'],
  givenAt,
  documentation: 'Muntligt samtycke vid besök på avdelningen, journalfört.',
});

export const establishmentConsent = (givenAt = '2026-11-08T15:00:00+01:00') => {
  const { categories: _, ...terms } = sharingConsent(givenAt);
  return { ...terms, kind: 'planEstablishment', scope: 'Att upprätta en samordnad individuell plan.' };
};

export const invitation = (startsAt = '2026-11-15T10:00:00+01:00') => ({
  purpose: 'Planera stödet efter utskrivningen så att Elsa kan bo kvar hemma.',
  questions: ['Vilket stöd behövs i hemmet?', 'Hur följer vi upp rehabiliteringen?'],
  startsAt,
  place: { kind: 'digital' },
  invitees: [
    { organisationId: HEMTJANST, contribution: 'Bedömning av hemtjänstinsatser' },
    { organisationId: GERIATRIK, contribution: 'Rehabiliteringsplan' },
  ],
});

export const establishment = (heldAt = '2026-11-15T10:00:00+01:00') => ({
  meeting: {
    heldAt,
    attendees: [
      { name: 'Elsa Exempel', role: 'den enskilde' },
      { name: 'Anna Andersson', organisationId: VARDCENTRAL },
    ],
    leader: { name: 'Anna Andersson', email: 'anna.andersson@example.se' },
  },
  content: elsa.content,
});

/** A follow-up of Elsa's established plan that revises it and books the next one. */
export const followUp = (extra: object = {}) => ({
  meeting: {
    heldAt: '2027-01-09T10:00:00+01:00',
    attendees: [{ name: 'Elsa Exempel' }],
    leader: { name: 'Anna Andersson' },
  },
  progress: 'Bättre.',
  interventions: [],
  outcome: 'revised',
  nextFollowUp: { date: '2027-03-06', place: 'Elsas hem' },
  ...extra,
});

export function planDriver(api: Api) {
  /** Sends a command with the plan's current ETag; returns the response and remembers the new ETag. */
  let etags = new Map<string, string>();
  const send = async (planId: string, path: string, body: unknown, as?: Partial<TokenRequest>) => {
    // A meeting is recorded after it was held: an hour after, unless the test pinned the clock itself.
    const heldAt = (body as { meeting?: { heldAt?: string } } | undefined)?.meeting?.heldAt;
    const recordAt = heldAt && !api.pinnedAt() ? new Date(Date.parse(heldAt) + 3_600_000) : undefined;
    if (recordAt) api.at(recordAt);
    // Each invitee answers for itself: an answer comes from the invitee's own system unless told otherwise.
    const invitee = (body as { organisationId?: string } | undefined)?.organisationId;
    const caller = as ?? (path.endsWith('/responses') && invitee ? { organisationId: invitee } : undefined);
    const res = await api
      .call('POST', `/plans/${planId}${path}`, {
        body,
        headers: { 'if-match': etags.get(planId) ?? '"1"' },
        ...(caller && { as: caller }),
      })
      .finally(() => recordAt && api.at(undefined));
    const etag = res.headers.get('etag');
    if (res.status < 300 && etag) etags.set(res.status === 201 ? res.json.planId : planId, etag);
    return res;
  };
  const create = async (body: unknown = elsa) => {
    const res = await api.call('POST', '/plans', { body });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${res.text}`);
    etags.set(res.json.planId, res.headers.get('etag') ?? '"1"');
    return res.json.planId as string;
  };
  const expectOk = async (planId: string, path: string, body: unknown) => {
    const res = await send(planId, path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.json;
  };
  /** A plan at a stage of the process, built with the commands themselves. */
  const planAt = async (
    stage: 'initiated' | 'consented' | 'invited' | 'established',
    body: unknown = elsa,
  ) => {
    const planId = await create(body);
    if (stage === 'initiated') return planId;
    await expectOk(planId, '/consents', sharingConsent());
    await expectOk(planId, '/consents', establishmentConsent());
    if (stage === 'consented') return planId;
    // The fixtures' meeting (15 November), or a day ahead when the API's clock is already past it.
    const fixture = Date.parse('2026-11-15T10:00:00+01:00');
    const meetingAt = toStockholmTimestamp(new Date(Math.max(fixture, api.now().getTime() + 86_400_000)));
    await expectOk(planId, '/invitations', invitation(meetingAt));
    if (stage === 'invited') return planId;
    await expectOk(planId, '/establishment', establishment(meetingAt));
    return planId;
  };
  /** A merge patch with the plan's current ETag. */
  const patch = async (planId: string, body: unknown) => {
    const res = await api.call('PATCH', `/plans/${planId}`, {
      body,
      headers: { 'if-match': etags.get(planId) ?? '"1"' },
    });
    if (res.status !== 200) throw new Error(`patch: ${res.status} ${res.text}`);
    etags.set(planId, res.headers.get('etag') ?? '');
    return res.json;
  };
  /** Takes the plan's current ETag (after someone else, such as the deadline check, wrote it). */
  const refresh = async (planId: string) => {
    const res = await api.call('GET', `/plans/${planId}`);
    etags.set(planId, res.headers.get('etag') ?? '');
  };
  return {
    send,
    patch,
    refresh,
    create,
    expectOk,
    planAt,
    etag: (planId: string) => etags.get(planId),
    reset: () => {
      etags = new Map();
    },
  };
}
