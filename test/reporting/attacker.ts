/**
 * The attacker of the disclosure-control tests: given a table's true values and what was published of it,
 * can a suppressed cell be pinned down from the published cells and the totals? It knows what the
 * implementation does: a `<5` is 1–4, and a `..` is 0 or at least 5 — any count, in a table withheld whole.
 */
import type { CellStatus } from '../../shared/reporting/suppression.ts';

interface Domain {
  lo: number;
  hi: number;
  /** A `..` is 0 or at least 5: never 1–4. */
  gap: boolean;
}

const BIG = 1_000_000;

/**
 * Whether a suppressed cell could hold another value than its own, given the published cells and the
 * totals: a small constraint solver (bounds propagation over the row and column equations, then search)
 * looking for values of every suppressed cell that keep all the totals, with this cell different.
 */
export function canDiffer(
  values: number[][],
  status: CellStatus[][],
  hasTotalRow: boolean,
  r0: number,
  c0: number,
) {
  const R = values.length;
  const C = values[0]?.length ?? 0;
  const equations: { cells: number[]; total: number }[] = [];
  const id = (r: number, c: number) => r * C + c;
  for (let r = 0; r < R; r++)
    equations.push({ cells: Array.from({ length: C - 1 }, (_, c) => id(r, c)), total: id(r, C - 1) });
  if (hasTotalRow)
    for (let c = 0; c < C; c++)
      equations.push({ cells: Array.from({ length: R - 1 }, (_, r) => id(r, c)), total: id(R - 1, c) });
  const initial: Domain[] = values.flatMap((row, r) =>
    row.map((value, c): Domain => {
      const s = status[r]?.[c];
      if (s === 'primary') return { lo: 1, hi: 4, gap: false };
      if (s === 'secondary') return { lo: 0, hi: BIG, gap: true };
      if (s === 'withheld') return { lo: 0, hi: BIG, gap: false };
      return { lo: value, hi: value, gap: false };
    }),
  );
  const tighten = (d: Domain, lo: number, hi: number): Domain | undefined => {
    let next = { ...d, lo: Math.max(d.lo, lo), hi: Math.min(d.hi, hi) };
    if (next.gap) {
      if (next.lo >= 1 && next.lo <= 4) next = { ...next, lo: 5 };
      if (next.hi >= 1 && next.hi <= 4) next = { ...next, hi: 0 };
    }
    return next.lo > next.hi ? undefined : next;
  };
  const propagate = (domains: Domain[]): Domain[] | undefined => {
    const d = [...domains];
    for (let changed = true; changed; ) {
      changed = false;
      for (const { cells, total } of equations) {
        const sumLo = cells.reduce((s, i) => s + (d[i] as Domain).lo, 0);
        const sumHi = cells.reduce((s, i) => s + (d[i] as Domain).hi, 0);
        const t = d[total] as Domain;
        const updates: [number, number, number][] = [[total, sumLo, sumHi]];
        for (const i of cells) {
          const own = d[i] as Domain;
          updates.push([i, t.lo - (sumHi - own.hi), t.hi - (sumLo - own.lo)]);
        }
        for (const [i, lo, hi] of updates) {
          const before = d[i] as Domain;
          const after = tighten(before, lo, hi);
          if (!after) return undefined;
          if (after.lo !== before.lo || after.hi !== before.hi) {
            d[i] = after;
            changed = true;
          }
        }
      }
    }
    return d;
  };
  const solve = (domains: Domain[]): boolean => {
    const d = propagate(domains);
    if (!d) return false;
    const open = d.map((x, i) => [x.hi - x.lo, i] as const).filter(([width]) => width > 0);
    if (open.length === 0) return true;
    const [, i] = open.reduce((a, b) => (b[0] < a[0] ? b : a));
    const x = d[i] as Domain;
    // Split the widest choice in two rather than try every value.
    const middle = Math.floor((x.lo + x.hi) / 2);
    return (
      solve(d.map((y, j) => (j === i ? { ...y, hi: middle } : y))) ||
      solve(d.map((y, j) => (j === i ? { ...y, lo: middle + 1 } : y)))
    );
  };
  const target = id(r0, c0);
  const own = values[r0]?.[c0] ?? 0;
  const below = tighten(initial[target] as Domain, -BIG, own - 1);
  const above = tighten(initial[target] as Domain, own + 1, BIG);
  const withTarget = (domain: Domain | undefined) =>
    domain !== undefined && solve(initial.map((x, j) => (j === target ? domain : x)));
  return withTarget(below) || withTarget(above);
}
