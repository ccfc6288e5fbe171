/** When a consent holds: given, not withdrawn, not lapsed, not expired — at a given instant. */
import { type Consent, namesAt } from '../consent.ts';
import type { Plan } from '../plan.ts';
import { refuse } from './rules.ts';

export type ConsentState = 'active' | 'notYetGiven' | 'withdrawn' | 'expired';

export function consentState(consent: Consent, now: Date): ConsentState {
  if (consent.withdrawnAt && new Date(consent.withdrawnAt) <= now) return 'withdrawn';
  if (new Date(consent.expiresAt) <= now) return 'expired';
  if (new Date(consent.givenAt) > now) return 'notYetGiven';
  return 'active';
}

/**
 * Refuses unless active consents of `kind` name every organisation in `recipients`. With no active
 * consent at all, the refusal says why the latest one no longer holds.
 */
export function requireConsent(
  plan: Plan,
  kind: Consent['kind'],
  now: Date,
  recipients: readonly string[] = [],
): void {
  const ofKind = plan.consents.filter((consent) => consent.kind === kind);
  const active = ofKind.filter((consent) => consentState(consent, now) === 'active');
  if (active.length === 0) {
    const latest = ofKind.at(-1);
    const state = latest && consentState(latest, now);
    if (state === 'withdrawn') refuse('consent-withdrawn', `the ${kind} consent ${latest?.id} was withdrawn`);
    if (state === 'expired')
      refuse('consent-expired', `the ${kind} consent ${latest?.id} expired at ${latest?.expiresAt}`);
    refuse('consent-missing', `record a consent of kind ${kind} first`);
  }
  const missing = recipients.filter((id) => !active.some((consent) => namesAt(consent, id, now)));
  if (missing.length > 0) {
    refuse('recipient-not-in-consent', `no active ${kind} consent names ${missing.join(', ')}`);
  }
}
