/**
 * The categories of information: every part of the plan is either released by a category or part of the
 * frame, docs/consent.md states the table the code applies, and a part goes with its most specific
 * pointer. Expected values are the rule as docs/consent.md and the issue state it.
 */
import { describe, expect, it } from 'vitest';
import { withdrawnFor } from '../../shared/domain/consent.ts';
import { Individual } from '../../shared/domain/individual.ts';
import {
  CATEGORIES,
  categoryOf,
  INFORMATION_CATEGORIES,
  releasedSummary,
  releasedView,
} from '../../shared/domain/information.ts';
import { FRAME_PARTS, Plan, PlanSummary } from '../../shared/domain/plan.ts';
import { accessOf, decideWrite, releasedTo } from '../../shared/policy/policy.ts';
import { readRepoFile } from '../docs/readme.ts';

describe('the categories of information', () => {
  it('place every part of the plan: released by a category, or in the frame every reader sees', () => {
    // The frame as docs/consent.md names it: id, status, version, the individual's name, the convener, the
    // restart links and the service's stamps.
    const frame = new Set([...FRAME_PARTS, 'individual', 'restartOf', 'restartedAs']);
    for (const part of Object.keys(Plan.shape)) {
      const placed = categoryOf([part]) !== undefined || frame.has(part);
      expect(placed, `/${part} is neither released by a category nor in the frame`).toBe(true);
    }
    expect(categoryOf(['individual', 'name'])).toBeUndefined();
    // Below the individual, only the name is the frame.
    for (const part of Object.keys(Individual.shape).filter((key) => key !== 'name')) {
      expect(categoryOf(['individual', part]), `/individual/${part}`).toBeDefined();
    }
  });

  it('are the table docs/consent.md gives, names and parts alike', () => {
    const doc = readRepoFile('docs/consent.md');
    for (const category of INFORMATION_CATEGORIES) {
      const { sv, en, releases } = CATEGORIES[category];
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${category}\` |`));
      expect(row, category).toBeDefined();
      const cells = (row ?? '').split('|').map((cell) => cell.trim());
      expect(cells.slice(2, 4), category).toEqual([sv, en]);
      const documented = [...(cells[4] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]);
      expect(documented.sort(), category).toEqual([...releases].sort());
    }
  });

  it('give a part to its most specific pointer', () => {
    expect(categoryOf(['content', 'supportNeeds'])).toBe('situation');
    expect(categoryOf(['content', 'interventions', '0', 'description'])).toBe('interventions');
    expect(categoryOf(['content', 'disagreements'])).toBe('goals');
    expect(categoryOf(['followUps', '3', 'progress'])).toBe('situation');
    expect(categoryOf(['followUps', '3', 'interventions'])).toBe('interventions');
    expect(categoryOf(['invitations', '0', 'longTermGoal'])).toBe('goals');
    expect(categoryOf(['initiation', 'note'])).toBe('situation');
    expect(categoryOf(['initiation', 'noticedAt'])).toBe('interventions');
    expect(categoryOf(['individual', 'personalIdentity', 'value'])).toBe('identity');
  });
});

describe('a view of a plan', () => {
  const plan = {
    planId: 'p',
    individual: { name: 'Sara Exempel', personalIdentity: { type: 'personnummer', value: '199001010017' } },
    initiation: { noticedAt: '2027-02-01T10:00:00+01:00', trigger: 'ownRequest', note: 'Bipolär sjukdom.' },
    content: { supportNeeds: ['Nykterhet'], interventions: [{ description: 'Stödkontakt' }] },
    followUps: [{ heldAt: '2027-05-01T10:00:00+01:00', progress: 'Går framåt.', interventions: [] }],
    consents: [
      { id: 'a', recipients: ['X', 'Y'], releases: [{ organisationId: 'X' }, { organisationId: 'Y' }] },
      { id: 'b', recipients: ['Y'] },
    ],
  };

  it('leaves out what is withheld, keeps what a released category holds below a withheld part', () => {
    const view = releasedView(plan, new Set(['situation']), 'X') as typeof plan;
    expect(view).toEqual({
      planId: 'p',
      individual: { name: 'Sara Exempel' },
      initiation: { note: 'Bipolär sjukdom.' },
      content: { supportNeeds: ['Nykterhet'] },
      followUps: [{ progress: 'Går framåt.' }],
      // Its own consent only, cut to itself.
      consents: [{ id: 'a', recipients: ['X'], releases: [{ organisationId: 'X' }] }],
    });
  });

  it('is the whole plan for a reader with every category', () => {
    expect(releasedView(plan, new Set(INFORMATION_CATEGORIES), 'X')).toBe(plan);
  });

  it('as a list item keeps only the frame for a reader given no category', () => {
    // The frame of a list item: the plan by id, status and version, its convener, the stamps.
    const frame = ['planId', 'status', 'version', 'convenerOrganisationId', 'createdAt', 'updatedAt'];
    const every = Object.fromEntries(Object.keys(PlanSummary.shape).map((key) => [key, 'x']));
    expect(Object.keys(releasedSummary(every, new Set())).sort()).toEqual(frame.sort());
  });

  it('as a list item drops the fields of withheld parts', () => {
    const summary = { planId: 'p', status: 'established', trigger: 'ownRequest', followUpDate: '2027-05-01' };
    expect(releasedSummary(summary, new Set(['goals']))).toEqual({ planId: 'p', status: 'established' });
    expect(releasedSummary(summary, new Set(['interventions']))).toEqual(summary);
  });
});

describe('what a reader is released', () => {
  const at = (iso: string) => new Date(iso);
  const consent = (over: object) => ({
    id: 'c',
    kind: 'informationSharing',
    form: 'written',
    givenBy: { kind: 'individual' },
    recipients: ['CONVENER', 'X', 'Y'],
    givenAt: '2027-01-01T10:00:00+01:00',
    expiresAt: '2028-01-01T10:00:00+01:00',
    recordedAt: '2027-01-01T10:00:00+01:00',
    recordedBy: { userId: 'u', organisationId: 'CONVENER' },
    ...over,
  });
  const plan = (consents: object[]) =>
    ({
      status: 'invited',
      convener: { organisationId: 'CONVENER' },
      initiation: { noticedBy: { organisationId: 'CONVENER' } },
      organisations: [{ organisationId: 'X' }, { organisationId: 'Y' }],
      consents,
    }) as unknown as Plan;

  it('is what the consent names for it; a consent recorded before categories releases all four', () => {
    const given = plan([
      consent({
        releases: [
          { organisationId: 'CONVENER', categories: ['situation'] },
          { organisationId: 'X', categories: ['goals'] },
          { organisationId: 'Y', categories: ['goals', 'identity'] },
        ],
      }),
    ]);
    const now = at('2027-02-01T10:00:00+01:00');
    expect([...releasedTo(accessOf(given), 'X', now)]).toEqual(['goals']);
    expect([...releasedTo(accessOf(given), 'Y', now)].sort()).toEqual(['goals', 'identity']);
    // The convener: its own, and what running the process needs.
    expect([...releasedTo(accessOf(given), 'CONVENER', now)].sort()).toEqual(
      ['goals', 'identity', 'interventions', 'situation'].sort(),
    );
    const legacy = plan([consent({ scope: 'Uppgifter som behövs.' })]);
    expect([...releasedTo(accessOf(legacy), 'X', now)].sort()).toEqual(
      ['goals', 'identity', 'interventions', 'situation'].sort(),
    );
  });

  it('ends for one recipient at its withdrawal, and for no other', () => {
    const withdrawnAt = '2027-06-01T10:00:00+02:00';
    const given = plan([
      consent({
        releases: ['CONVENER', 'X', 'Y'].map((organisationId) => ({ organisationId, categories: ['goals'] })),
        withdrawals: [
          {
            organisationId: 'X',
            withdrawnAt,
            recordedAt: withdrawnAt,
            recordedBy: { userId: 'u', organisationId: 'CONVENER' },
          },
        ],
      }),
    ]);
    expect(withdrawnFor(given.consents[0] as never, 'X')).toBe(withdrawnAt);
    expect(withdrawnFor(given.consents[0] as never, 'Y')).toBeUndefined();
    const before = at('2027-06-01T09:59:59+02:00');
    const after = at('2027-06-01T10:00:00+02:00');
    expect([...releasedTo(accessOf(given), 'X', before)]).toEqual(['goals']);
    expect([...releasedTo(accessOf(given), 'X', after)]).toEqual([]);
    expect([...releasedTo(accessOf(given), 'Y', after)]).toEqual(['goals']);
  });

  it('is everything for the convener until a first consent to share is recorded', () => {
    expect(releasedTo(accessOf(plan([])), 'CONVENER', at('2027-01-01T10:00:00+01:00')).size).toBe(4);
  });
});

describe('an edit of what the editor cannot read', () => {
  const caller = { userId: 'u', organisationId: 'CONVENER', scopes: new Set(['sip.write']) };
  const now = new Date('2027-02-01T10:00:00+01:00');
  // The convener's own consent gives it only the goals; running the process adds identity and interventions —
  // never the individual's situation.
  const previous = {
    planId: 'p',
    status: 'invited',
    version: 3,
    convener: { organisationId: 'CONVENER' },
    initiation: { noticedBy: { organisationId: 'CONVENER' } },
    individual: { name: 'Sara Exempel' },
    organisations: [{ organisationId: 'CONVENER' }],
    content: { supportNeeds: ['Nykterhet'], selfActions: ['Promenader'] },
    consents: [
      {
        id: 'c',
        kind: 'informationSharing',
        recipients: ['CONVENER'],
        releases: [{ organisationId: 'CONVENER', categories: ['goals'] }],
        givenAt: '2027-01-01T10:00:00+01:00',
        expiresAt: '2028-01-01T10:00:00+01:00',
      },
    ],
  } as unknown as Plan;
  const patched = (content: object | undefined) => ({ ...previous, content }) as unknown as Plan;

  it.each([
    ['replaces the part it cannot read', { supportNeeds: ['Annat'], selfActions: ['Promenader'] }],
    ['removes the whole content, and so the part below it', undefined],
    ['replaces the whole content without it', { selfActions: ['Promenader'] }],
  ])('is refused when it %s', (_, content) => {
    const decision = decideWrite(caller, now, { kind: 'patch', previous, next: patched(content) });
    expect(decision).toMatchObject({ allowed: false, rule: 'not-released-to-you' });
  });

  it('is allowed when it leaves what it cannot read as it was', () => {
    const content = { supportNeeds: ['Nykterhet'], selfActions: ['Promenader', 'Simning'] };
    expect(decideWrite(caller, now, { kind: 'patch', previous, next: patched(content) })).toEqual({
      allowed: true,
    });
  });
});
