/**
 * Disclosure control of one count table: rows of categories by columns of target groups, with a total
 * column and — when there is more than one row — a total row. Counts from 1 to 4 are suppressed (primary
 * suppression, shown as `<5`); then further cells are hidden (complementary suppression, shown as `..`) until
 * no suppressed cell can be worked out from the published cells and the totals.
 *
 * How "cannot be worked out" is decided, exactly. A reader knows every published cell, that a `<5` lies in
 * 1–4, and — assume the worst — that a `..` is at least 5 (it never hides a 0 or a 1–4). The table's
 * equations (each row adds up to its total, each column to its total) leave a suppressed cell undetermined
 * exactly when the suppressed values can be changed, staying within those bounds, so that the cell changes
 * and every equation still holds. With every total cell's sign flipped (z = −x where exactly one of row and
 * column is a total), the equations say that every row and every column of z adds up to 0: a circulation
 * on the bipartite graph of rows and columns, with one edge per suppressed cell. An integer change of a
 * circulation decomposes into simple cycles, so a cell can change if and only if some simple cycle through
 * it can be walked — +1 on one edge, −1 on the next, alternately — without leaving any cell's bounds. That
 * is a path search in a small graph, so the check is exact, not a heuristic.
 *
 * A single-row table has no published total row: the columns are tied by nothing, which is modelled as a
 * hidden total row with no bounds at all.
 */

/**
 * `primary`: a count of 1–4 (`<5`); `secondary`: a count of at least 5 hidden to protect one (`..`);
 * `withheld`: every cell of a table whose small counts would be given away even by their `<5` marks — four
 * target groups of 1 in a row whose total is `<5` can only be 1 each — so that nothing of it is shown (`..`).
 */
export type CellStatus = 'shown' | 'primary' | 'secondary' | 'withheld';

/** The smallest and largest counts that are suppressed when they occur. */
export const SMALLEST_SHOWN = 5;

const isSmall = (value: number) => value >= 1 && value < SMALLEST_SHOWN;

/** A table with its margins: `values[r][c]`, the last column the row totals, the last row (if R > 1) the column totals. */
export interface CountTable {
  values: number[][];
  /** Whether the last row is a total row (tables of more than one category). */
  hasTotalRow: boolean;
}

/** A table of `interior` (categories × groups) with its totals added. */
export function withTotals(interior: number[][]): CountTable {
  const rows = interior.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  if (rows.length < 2) return { values: rows, hasTotalRow: false };
  const width = rows[0]?.length ?? 0;
  const totals = Array.from({ length: width }, (_, c) => rows.reduce((sum, row) => sum + (row[c] ?? 0), 0));
  return { values: [...rows, totals], hasTotalRow: true };
}

interface Bounds {
  lo: number;
  hi: number;
}

/** What the reader may assume of a suppressed cell. */
const boundsOf = (status: CellStatus): Bounds =>
  status === 'primary'
    ? { lo: 1, hi: SMALLEST_SHOWN - 1 }
    : status === 'secondary'
      ? { lo: SMALLEST_SHOWN, hi: Number.POSITIVE_INFINITY }
      : { lo: 0, hi: Number.POSITIVE_INFINITY };

/**
 * Whether each suppressed cell is protected: for every cell, `true` when it is shown or cannot be worked out.
 * Exported for the tests and the invariant check in {@link suppress}.
 */
export function protectedCells(table: CountTable, status: CellStatus[][]): boolean[][] {
  const R = table.values.length;
  const C = table.values[0]?.length ?? 0;
  const totalRow = table.hasTotalRow ? R - 1 : R; // R: the hidden total row of a single-row table
  const rowNodes = table.hasTotalRow ? R : R + 1;
  // Graph nodes: rows 0..rowNodes-1, then columns.
  const colNode = (c: number) => rowNodes + c;
  interface Edge {
    r: number;
    c: number;
    up: boolean;
    down: boolean;
  }
  const edges: Edge[] = [];
  const sign = (r: number, c: number) => ((r === totalRow) !== (c === C - 1) ? -1 : 1);
  const fits = (value: number, bounds: Bounds) => value >= bounds.lo && value <= bounds.hi;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const s = status[r]?.[c] ?? 'shown';
      if (s === 'shown') continue;
      const value = table.values[r]?.[c] ?? 0;
      const bounds = boundsOf(s);
      // z + 1 means x + sign; z − 1 means x − sign.
      edges.push({ r, c, up: fits(value + sign(r, c), bounds), down: fits(value - sign(r, c), bounds) });
    }
  }
  if (!table.hasTotalRow) {
    for (let c = 0; c < C; c++) edges.push({ r: totalRow, c, up: true, down: true });
  }
  // Arcs: z + 1 goes row → column, z − 1 goes column → row.
  const arcs = edges.flatMap((edge, index) => [
    ...(edge.up ? [{ from: edge.r, to: colNode(edge.c), edge: index }] : []),
    ...(edge.down ? [{ from: colNode(edge.c), to: edge.r, edge: index }] : []),
  ]);
  const reachable = (from: number, to: number, without: number) => {
    const seen = new Set([from]);
    const queue = [from];
    while (queue.length > 0) {
      const node = queue.shift() as number;
      if (node === to) return true;
      for (const arc of arcs) {
        if (arc.from === node && arc.edge !== without && !seen.has(arc.to)) {
          seen.add(arc.to);
          queue.push(arc.to);
        }
      }
    }
    return false;
  };
  const result = table.values.map((row) => row.map(() => true));
  edges.forEach((edge, index) => {
    if (edge.r >= R) return;
    const row = result[edge.r] as boolean[];
    // A cycle through this edge: up along it and back from its column to its row, or down and back.
    row[edge.c] =
      (edge.up && reachable(colNode(edge.c), edge.r, index)) ||
      (edge.down && reachable(edge.r, colNode(edge.c), index));
  });
  return result;
}

/**
 * The status of every cell of a table: primary suppression of each count from 1 to 4, then complementary
 * suppression, smallest hidden value first, until every suppressed cell is protected. Deterministic: the same
 * table always gives the same pattern, so an export of a closed period never changes.
 */
export function suppress(table: CountTable): CellStatus[][] {
  const status: CellStatus[][] = table.values.map((row) =>
    row.map((value): CellStatus => (isSmall(value) ? 'primary' : 'shown')),
  );
  const cells = table.values.flatMap((row, r) => row.map((value, c) => ({ r, c, value })));
  const unprotected = () => {
    const ok = protectedCells(table, status);
    return cells.find(({ r, c }) => status[r]?.[c] !== 'shown' && !ok[r]?.[c]);
  };
  for (let cell = unprotected(); cell; cell = unprotected()) {
    const target = cell;
    // Candidates: shown counts of at least 5 (a 0 is never hidden), smallest first, those sharing a row or a
    // column with the exposed cell before others.
    const candidates = cells
      .filter(({ r, c, value }) => status[r]?.[c] === 'shown' && value >= SMALLEST_SHOWN)
      .sort(
        (a, b) =>
          a.value - b.value ||
          Number(!(a.r === target.r || a.c === target.c)) - Number(!(b.r === target.r || b.c === target.c)) ||
          a.r - b.r ||
          a.c - b.c,
      );
    if (candidates.length === 0) return hideAll(table);
    const protects = candidates.find(({ r, c }) => {
      (status[r] as CellStatus[])[c] = 'secondary';
      const ok = protectedCells(table, status)[target.r]?.[target.c];
      (status[r] as CellStatus[])[c] = 'shown';
      return ok;
    });
    // No single cell suffices: hide the smallest one next to it and look again.
    const chosen =
      protects ?? candidates.find(({ r, c }) => r === target.r || c === target.c) ?? candidates[0];
    if (!chosen) return hideAll(table);
    (status[chosen.r] as CellStatus[])[chosen.c] = 'secondary';
  }
  return status;
}

/**
 * The last resort, when no choice of cells to hide protects the small counts (their `<5` marks alone give
 * them away): the whole table withheld, small counts too, so that there is nothing to work from.
 */
function hideAll(table: CountTable): CellStatus[][] {
  return table.values.map((row) => row.map((): CellStatus => 'withheld'));
}
