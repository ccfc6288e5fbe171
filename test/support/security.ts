/**
 * Helpers for the security suites (test/security): more organisations for Elsa's plan, direct access to the
 * stored plans (the tests' oracle reads them without going through the API), bounded concurrency, and the
 * checks every problem response must pass.
 */
import { createDocumentClient } from '../../shared/store/client.ts';
import { createPlanStore, type PlanStore } from '../../shared/store/plan-store.ts';
import type { startTestApi } from './api.ts';

export type Api = Awaited<ReturnType<typeof startTestApi>>;
export type Response = Awaited<ReturnType<Api['call']>>;

/** A neurology clinic of the region: invited to Elsa's meeting in the security suites. */
export const NEURO = 'SE2321000131-E000000000030';
/** A unit that takes part in the plan and that no caller of the security suites acts for by default. */
export const BYSTANDER = 'SE2120001801-E000000000040';

/** A participating organisation entry for a plan body. */
export const participating = (
  organisationId: string,
  name: string,
  principal: 'region' | 'municipality',
) => ({
  organisationId,
  name,
  principal,
  principalName: principal === 'region' ? 'Västra Götalandsregionen' : 'Göteborgs Stad',
  unitKind: principal === 'region' ? 'specialistmottagning' : 'biståndsenhet',
  participation: 'summoned',
});

/** The plan store of this test file's table, to read plans as they are stored (and to run the deadline check). */
export function testPlanStore(): PlanStore {
  const tableName = process.env.TABLE_NAME ?? '';
  const client = createDocumentClient({ tableName, endpoint: process.env.DYNAMODB_ENDPOINT });
  return createPlanStore(client, tableName);
}

/** Runs `work` over `items`, at most `limit` at a time; results in the order of `items`. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * What is wrong with a response that should be a problem document (RFC 9457) with `status`, if anything:
 * `application/problem+json`, a JSON body whose `status` is the response's, and a non-empty `detail`.
 */
export function problemFault(res: Response, status?: number | readonly number[]): string | undefined {
  const expected = status === undefined ? undefined : ([] as number[]).concat(status);
  if (expected && !expected.includes(res.status))
    return `status ${res.status}, expected ${expected.join('|')}`;
  const type = res.headers.get('content-type') ?? '';
  if (type.split(';')[0]?.trim() !== 'application/problem+json') return `content-type "${type}"`;
  if (typeof res.json !== 'object' || res.json === null) return 'the body is not a JSON object';
  if (res.json.status !== res.status) return `body.status ${res.json.status} ≠ ${res.status}`;
  if (typeof res.json.detail !== 'string' || res.json.detail === '') return 'no detail';
  if (typeof res.json.type !== 'string' || typeof res.json.title !== 'string') return 'no type or title';
  return undefined;
}

/** Counts by key, printed sorted. */
export class Histogram {
  readonly counts = new Map<string, number>();
  add(key: string | number, by = 1): void {
    this.counts.set(String(key), (this.counts.get(String(key)) ?? 0) + by);
  }
  get(key: string | number): number {
    return this.counts.get(String(key)) ?? 0;
  }
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  toString(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, count]) => `${key}: ${count}`)
      .join(', ');
  }
}

/** One line a suite prints with its figures, easy to find in the output and to quote. */
export function report(suite: string, figures: Record<string, string | number>): void {
  const line = Object.entries(figures)
    .map(([name, value]) => `${name}=${value}`)
    .join(' | ');
  console.log(`[security] ${suite}: ${line}`);
}

/** A short description of a response for failure messages: status, type and the start of the body. */
export const describeResponse = (res: Response) =>
  `${res.status} ${res.headers.get('content-type') ?? '-'} ${res.text.slice(0, 300)}`;
