/**
 * The categories of information a consent releases. A consent is never general: it names, per recipient,
 * which information it may receive (DOMAIN.md step 2; seed `004`: "vem eller vilka som ska ta del av
 * information samt vilken information de får ta del av", and "endast uppgifter som behövs"). The plan
 * record is divided into four categories here, each named in Swedish and English and mapped to the parts
 * of the record it releases. Every view of a plan — the plan, the list, the document, the deadlines, the
 * revisions, and the national exports to come — shows a reader what these functions leave of it, and
 * nothing else.
 *
 * What no category holds is the frame every reader with access sees: that the plan exists, its id,
 * status and version, whose plan it is by name, who convenes it, and the service's stamps (`PlanView` in
 * `plan.ts`). A reader with no category at all learns only that much.
 */
import * as z from 'zod/mini';
import { pointerTokens } from './json-pointer.ts';

export const INFORMATION_CATEGORIES = ['goals', 'interventions', 'situation', 'identity'] as const;
export const InformationCategory = z.enum(INFORMATION_CATEGORIES);
export type InformationCategory = z.infer<typeof InformationCategory>;

/** Each category's names and what it releases: the parts of the plan, as JSON Pointers (`*`: every item). */
export const CATEGORIES: Record<
  InformationCategory,
  { sv: string; en: string; releases: readonly string[] }
> = {
  goals: {
    sv: 'Mål och delaktighet',
    en: 'Goals and how the individual takes part',
    releases: [
      '/longTermGoal',
      '/subGoals',
      '/participation',
      '/childsVoice',
      // The kallelse states the long-term goal too: it goes with the goal, not with the meeting.
      '/invitations/*/longTermGoal',
      '/individual/communication',
      '/content/individualAgrees',
      '/content/individualComment',
      '/content/disagreements',
    ],
  },
  interventions: {
    sv: 'Insatser, ansvar och möten',
    en: 'Who does what and when, with contacts and meetings',
    releases: [
      '/initiation',
      '/organisations',
      '/content',
      '/consents',
      '/invitations',
      '/meetings',
      '/establishment',
      '/followUps',
      '/earlyFollowUp',
      '/notices',
      // In- och utskrivning drives the process (the kallelse is due three days after utskrivningsklar).
      '/discharge',
      '/closure',
      '/reminders',
    ],
  },
  situation: {
    sv: 'Hälsa och social situation',
    en: "The individual's health and social situation",
    releases: [
      '/initiation/note',
      '/representatives',
      '/content/supportNeeds',
      '/discharge/sipNotNeeded/reason',
      '/consentRefusal',
      '/requestRefusal',
      '/followUps/*/progress',
      '/followUps/*/newCircumstances',
      '/followUps/*/otherInterventionsNeeded',
    ],
  },
  identity: {
    sv: 'Personnummer och kontaktuppgifter',
    en: 'Personal identity number and contact details',
    releases: ['/individual/personalIdentity', '/individual/contact'],
  },
};

/** Every category: what a legacy consent (free-text scope, no categories) releases, as it did before. */
export const ALL_CATEGORIES: ReadonlySet<InformationCategory> = new Set(INFORMATION_CATEGORIES);

/** Pointer patterns, most specific first: a part is released by the category of its longest pattern. */
const RULES = Object.entries(CATEGORIES)
  .flatMap(([category, { releases }]) =>
    releases.map((pattern) => ({
      tokens: pattern.slice(1).split('/'),
      category: category as InformationCategory,
    })),
  )
  .sort((a, b) => b.tokens.length - a.tokens.length);

/** The category that releases the part at `path` (tokens of a JSON Pointer); undefined for the frame. */
export function categoryOf(path: readonly string[]): InformationCategory | undefined {
  for (const rule of RULES) {
    if (rule.tokens.length > path.length) continue;
    if (rule.tokens.every((token, i) => token === '*' || token === path[i])) return rule.category;
  }
  return undefined;
}

/** Does a pattern lie below `path`, so that the part at `path` is looked into rather than kept or left out whole? */
const PREFIXES = new Set(
  RULES.flatMap((rule) => rule.tokens.slice(0, -1).map((_, i) => rule.tokens.slice(0, i + 1).join('/'))),
);
const hasRulesBelow = (path: readonly string[]) =>
  PREFIXES.has(path.map((token) => (/^\d+$/.test(token) ? '*' : token)).join('/'));

/**
 * The categories of the part at `path` and of every part below it that `value` (the part) holds: what an
 * edit replacing or removing the part as a whole would touch.
 */
export function categoriesWithin(value: unknown, path: readonly string[]): Set<InformationCategory> {
  const found = new Set<InformationCategory>();
  const own = categoryOf(path);
  if (own) found.add(own);
  if (typeof value === 'object' && value !== null && hasRulesBelow(path)) {
    for (const [key, child] of Object.entries(value)) {
      for (const category of categoriesWithin(child, [...path, key])) found.add(category);
    }
  }
  return found;
}

/**
 * What `released` leaves of a plan (or of any answer shaped like one, such as a replayed response): every
 * part whose category is not released is left out — not blanked, so no reader can tell an empty part
 * from a withheld one by its value. A reader without `interventions` still sees the consents that name it,
 * cut to its own terms (it must know what it was given).
 */
export function releasedView<T extends object>(
  plan: T,
  released: ReadonlySet<InformationCategory>,
  reader?: string,
): Partial<T> {
  if (INFORMATION_CATEGORIES.every((category) => released.has(category))) return plan;
  const view = project(plan, [], released) as Partial<T> & { consents?: unknown };
  const consents = (plan as { consents?: { recipients?: string[] }[] }).consents;
  if (!released.has('interventions') && reader && Array.isArray(consents)) {
    const own = consents.filter((consent) => consent.recipients?.includes(reader));
    if (own.length > 0) view.consents = own.map((consent) => ownTermsOf(consent, reader));
  }
  return view;
}

function project(value: unknown, path: string[], released: ReadonlySet<InformationCategory>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    return value.map((item, index) => project(item, [...path, String(index)], released));
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    const category = categoryOf(childPath);
    if (category === undefined || released.has(category)) {
      out[key] = hasRulesBelow(childPath) ? project(child, childPath, released) : child;
    } else if (hasRulesBelow(childPath) && typeof child === 'object' && child !== null) {
      // Withheld as a whole, but a part below may belong to a category the reader has (or to the frame).
      const inner = project(child, childPath, released);
      const kept = Array.isArray(inner) ? inner.some(nonEmpty) : nonEmpty(inner);
      if (kept) out[key] = inner;
    }
  }
  return out;

  function nonEmpty(part: unknown): boolean {
    return typeof part === 'object' && part !== null && Object.keys(part).length > 0;
  }
}

/** A consent as its own recipient sees it without `interventions`: its own terms, not who else may read. */
function ownTermsOf(consent: Record<string, unknown>, reader: string): Record<string, unknown> {
  const releases = consent.releases as { organisationId: string }[] | undefined;
  const withdrawals = consent.withdrawals as { organisationId: string }[] | undefined;
  // How an oral consent was documented is the keeper's record, not a term of the consent.
  const { documentation: _documentation, ...terms } = consent;
  return {
    ...terms,
    recipients: [reader],
    ...(releases && { releases: releases.filter((r) => r.organisationId === reader) }),
    ...(withdrawals && { withdrawals: withdrawals.filter((w) => w.organisationId === reader) }),
  };
}

/** The parts of the plan each field of a list item comes from: a list shows what the plan would. */
const SUMMARY_SOURCES: Record<string, readonly string[]> = {
  trigger: ['initiation', 'trigger'],
  noticedAt: ['initiation', 'noticedAt'],
  leadResponsibleOrganisationId: ['content', 'leadResponsible'],
  followUpDate: ['content', 'followUp'],
  openDeadlines: ['content', 'followUp'],
};

/** A list item as `released` leaves it: the fields whose part of the plan is withheld are left out. */
export function releasedSummary<T extends object>(
  summary: T,
  released: ReadonlySet<InformationCategory>,
): Partial<T> {
  return Object.fromEntries(
    Object.entries(summary).filter(([field]) => {
      const source = SUMMARY_SOURCES[field];
      const category = source && categoryOf(source);
      return category === undefined || released.has(category);
    }),
  ) as Partial<T>;
}

/**
 * A revision as a reader sees it: the pointers into parts it may not read are left out (they would say
 * that a withheld part exists, and how many items it has), and whose access a withdrawal ended only with
 * `interventions` (who takes part).
 */
export function releasedRevision<T extends { changes: string[]; organisations?: string[] | undefined }>(
  revision: T,
  released: ReadonlySet<InformationCategory>,
): T {
  const { organisations, ...rest } = revision;
  const changes = revision.changes.filter((pointer) => {
    const category = categoryOf(pointerTokens(pointer));
    return category === undefined || released.has(category);
  });
  return {
    ...rest,
    changes,
    ...(organisations && released.has('interventions') && { organisations }),
  } as T;
}
