/**
 * Who may do what. One pure function decides for every route — reads, writes and lists alike; no route
 * decides on its own. The scope each action needs is declared here too, and the CDK stack reads it for the
 * API Gateway authorizer, so the gateway and the function can never disagree.
 *
 * Secrecy between the municipality and the region is lifted only by the individual's consent, and only
 * towards the organisations it names (OSL 25 kap. 1 §, 12 kap. 2 §). So an organisation sees a plan when
 * it takes part in it and a valid information-sharing consent names it. The convener holds the record
 * before there is a consent, to obtain one, and keeps it when consent ends (withdrawn, lapsed, expired);
 * the lead responsible then keeps read access, to close the plan. An ended plan is read-only. Who holds
 * those two roles changes only by their own hand, and each part of a plan has its owner (see {@link decideWrite}).
 */

import { changedPaths } from '../domain/changes.ts';
import { ENDED } from '../domain/commands/lifecycle.ts';
import { releasedBy, withdrawnFor } from '../domain/consent.ts';
import {
  ALL_CATEGORIES,
  CATEGORIES,
  categoriesWithin,
  type InformationCategory,
} from '../domain/information.ts';
import { pointerTokens } from '../domain/json-pointer.ts';
import { participatingOrganisationIds } from '../domain/participants.ts';
import type { Plan, PlanStatus } from '../domain/plan.ts';
import { type AuthorityRule, authorityRefusal, type Refusal, type Write } from './authority.ts';

export const SCOPES = ['sip.read', 'sip.write', 'report.read'] as const;
export type Scope = (typeof SCOPES)[number];

/** The authenticated caller, read from the token's claims in one place (`shared/http/caller.ts`). */
export interface Caller {
  userId: string;
  organisationId: string;
  unitId?: string | undefined;
  scopes: ReadonlySet<string>;
}

export const ACTIONS = {
  'plan.create': 'sip.write',
  'plan.read': 'sip.read',
  'plan.update': 'sip.write',
  /** Closing a plan: still open to the lead responsible when consent has ended. */
  'plan.close': 'sip.write',
  'plan.list': 'sip.read',
  /** The plan's audit log extract: for the lead responsible's organisation. */
  'plan.audit': 'sip.read',
  'report.read': 'report.read',
} as const satisfies Record<string, Scope>;
export type Action = keyof typeof ACTIONS;

/**
 * What the policy needs to know of a plan, and no more: organisation ids, a status and the periods of the
 * information-sharing consents. No personal data, so list items carry it and lists are decided by the very
 * same function, at the moment they are read — a consent lapses without any write.
 */
export interface PlanAccess {
  status: PlanStatus;
  convener: string;
  leadResponsible?: string | undefined;
  participants: string[];
  /**
   * Each information-sharing consent: whom it names, from when until when it holds (end exclusive), and the
   * categories it releases to them. A consent is listed once for each recipient whose withdrawal or release
   * differs; list items written before categories carry none, which releases everything (as it did then).
   */
  sharing: { recipients: string[]; from: string; until: string; categories?: InformationCategory[] }[];
}

export function accessOf(plan: Plan): PlanAccess {
  return {
    status: plan.status,
    convener: plan.convener.organisationId,
    // A lead responsible drafted before the meeting holds no role yet: the plan is established with it.
    leadResponsible: plan.establishment ? plan.content?.leadResponsible?.organisationId : undefined,
    participants: [...participatingOrganisationIds(plan)],
    sharing: (plan.consents ?? [])
      .filter((consent) => consent.kind === 'informationSharing')
      .flatMap((consent) =>
        consent.recipients.map((recipient) => ({
          recipients: [recipient],
          from: consent.givenAt,
          // Whichever comes first ends it: a withdrawal (for all, or for this recipient) or the expiry —
          // the lapse, which needs no record.
          until: [consent.expiresAt, withdrawnFor(consent, recipient)]
            .filter((at): at is string => at !== undefined)
            .map((at) => new Date(at).toISOString())
            .sort()[0] as string,
          categories: [...releasedBy(consent, recipient)],
        })),
      ),
  };
}

/** The information-sharing consents that hold at `now` (from inclusive, until exclusive) and name the organisation. */
function validSharing(access: PlanAccess, organisationId: string, now: Date) {
  const at = now.getTime();
  return access.sharing.filter(
    (consent) =>
      consent.recipients.includes(organisationId) &&
      Date.parse(consent.from) <= at &&
      at < Date.parse(consent.until),
  );
}

const namedByValidConsent = (access: PlanAccess, organisationId: string, now: Date) =>
  validSharing(access, organisationId, now).length > 0;

/**
 * What the convener and the lead responsible need to run the process, whatever their own consent covers:
 * whom the plan is for and how to reach them, its goals, and who does what and when. The individual's
 * health and social situation reaches them only as a consent gives it.
 */
const KEEPER_NEEDS: ReadonlySet<InformationCategory> = new Set(['identity', 'goals', 'interventions']);

/**
 * The categories of information `organisationId` reads of a plan at `now`: what the valid consents naming
 * it release, and for the convener and the lead responsible what they need to run the process. Until a
 * first information-sharing consent is recorded nothing has been shared, and the convener — which holds
 * the record to obtain one — reads all of it. Call only for a reader the policy lets read the plan.
 */
export function releasedTo(
  access: PlanAccess,
  organisationId: string,
  now: Date,
): ReadonlySet<InformationCategory> {
  if (access.convener === organisationId && access.sharing.length === 0) return ALL_CATEGORIES;
  const released = new Set<InformationCategory>();
  for (const consent of validSharing(access, organisationId, now)) {
    for (const category of consent.categories ?? ALL_CATEGORIES) released.add(category);
  }
  if (access.convener === organisationId || access.leadResponsible === organisationId) {
    for (const category of KEEPER_NEEDS) released.add(category);
  }
  return released;
}

export type Decision =
  | { allowed: true }
  /**
   * `conceal`: answer as if the plan did not exist, so that a refusal does not reveal it. `rule` and
   * `pointer`: the rule of authority refused on, and the part it protects.
   */
  | { allowed: false; reason: string; conceal: boolean; rule?: AuthorityRule; pointer?: string };

const allow: Decision = { allowed: true };
const deny = (reason: string, conceal = false): Decision => ({ allowed: false, reason, conceal });

/** Actions that change a plan. */
const WRITES: ReadonlySet<Action> = new Set(['plan.update', 'plan.close']);

/**
 * May `caller` perform `action` at `now` (on the plan with `access`, for actions on an existing plan)?
 * The token must carry the action's scope; then the plan's participation and consent decide. A plan the
 * caller may not see is concealed: the answer is the same as for a plan that does not exist.
 */
export function decide(caller: Caller, action: Action, now: Date, access?: PlanAccess | null): Decision {
  const scope = ACTIONS[action];
  if (!caller.scopes.has(scope)) return deny(`the token lacks the scope ${scope}`);
  if (access === undefined) return allow;
  // A plan whose access facts are missing (a list item written before them) is shown to no one.
  if (access === null) return deny('the access facts of this plan are missing', true);

  const org = caller.organisationId;
  if (!access.participants.includes(org))
    return deny('your organisation does not take part in this plan', true);
  const named = access.sharing.filter((consent) => consent.recipients.includes(org));
  const isConvener = access.convener === org;
  const isLead = access.leadResponsible === org;
  const consented = namedByValidConsent(access, org, now);
  const fullAccess = isConvener || consented;
  // The lead responsible keeps access after a consent that named it has ended — to close the plan.
  const onlyToClose =
    !fullAccess && isLead && named.some((consent) => Date.parse(consent.until) <= now.getTime());

  if (action === 'plan.audit') {
    const keeper = access.leadResponsible ?? access.convener;
    if (keeper === org) return allow;
    return fullAccess
      ? deny("only the lead responsible's organisation reads the plan's audit log")
      : deny('your organisation does not see this plan', true);
  }
  if (!fullAccess && !onlyToClose) {
    return deny('no valid information-sharing consent names your organisation', true);
  }
  if (WRITES.has(action) && ENDED.includes(access.status)) {
    return deny(`the plan is ${access.status}: it is read-only`);
  }
  if (action === 'plan.update' && onlyToClose) {
    return deny('the consent has ended: the lead responsible may read the plan and close it, nothing else');
  }
  return allow;
}

/**
 * Whose figures a report reader may read. The reports are counts, suppressed, but each principal follows
 * up its own work: a reader at a municipality reads that municipality's figures; a reader at the region,
 * which follows up the SIP work of its whole county with the municipalities, reads every principal's.
 * `reader` is the code of the caller's own principal in the report register; `requested` the code asked
 * for, or none for every principal.
 */
export function decideReport(
  caller: Caller,
  reader: { code: string; kind: 'region' | 'municipality' } | undefined,
  requested: string | undefined,
): Decision {
  if (!caller.scopes.has(ACTIONS['report.read']))
    return deny(`the token lacks the scope ${ACTIONS['report.read']}`);
  if (!reader) return deny("your organisation's principal is not in the report register");
  if (reader.kind === 'region' || requested === reader.code) return allow;
  return deny(
    requested === undefined
      ? `a municipality reads its own figures: ask for principal=${reader.code}`
      : `a municipality reads its own figures only (${reader.code})`,
  );
}

/**
 * May the caller make this write (a new plan, an edit, a command)? Access first — the caller must be
 * allowed to change the plan at all (see {@link decide}) — then authority: which parts are the caller's
 * organisation's to change (the table in `authority.ts`). A refusal names its rule and the part.
 */
export function decideWrite(caller: Caller, now: Date, write: Write): Decision {
  // What the caller cannot read comes first: a refusal of authority would name whose the part is.
  const refusal =
    unreadRefusal(caller.organisationId, now, write) ??
    authorityRefusal(caller.organisationId, write, (plan, organisationId) =>
      namedByValidConsent(accessOf(plan), organisationId, now),
    );
  if (!refusal) return allow;
  return {
    allowed: false,
    reason: refusal.detail,
    conceal: false,
    rule: refusal.rule,
    pointer: refusal.pointer,
  };
}

/** An edit of a part the caller's consent does not let it read: it would overwrite what it cannot see. */
function unreadRefusal(organisationId: string, now: Date, write: Write): Refusal | undefined {
  if (write.kind !== 'patch') return undefined;
  const released = releasedTo(accessOf(write.previous), organisationId, now);
  for (const pointer of changedPaths(write.previous, write.next)) {
    const path = pointerTokens(pointer);
    // A part added, replaced or removed as a whole touches every part below it, on either side.
    const touched = new Set([
      ...categoriesWithin(valueAt(write.previous, path), path),
      ...categoriesWithin(valueAt(write.next, path), path),
    ]);
    const category = [...touched].find((c) => !released.has(c));
    if (category) {
      return {
        rule: 'not-released-to-you',
        pointer,
        detail: `your consent does not release ${CATEGORIES[category].en.toLowerCase()} (${category}) to your organisation`,
      };
    }
  }
  return undefined;
}

/** The value at a path (tokens of a JSON Pointer) in a document, if there is one. */
function valueAt(document: unknown, path: readonly string[]): unknown {
  let value: unknown = document;
  for (const token of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return value;
}
