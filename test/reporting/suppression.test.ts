/**
 * Disclosure control, tested by attacking it: for every suppressed cell, try every other value it could
 * have and search for values of the other suppressed cells that keep every row and column total. A cell
 * that admits only its true value could be worked out from the table; none may. The attacker knows what
 * the implementation does: a `<5` is 1–4, and a `..` is 0 or at least 5.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CellStatus, suppress, withTotals } from '../../shared/reporting/suppression.ts';
import { canDiffer } from './attacker.ts';

const cellsOf = (values: number[][]) => values.flatMap((row, r) => row.map((value, c) => ({ r, c, value })));

/** Every suppressed cell the solver can pin down; `status` defaults to what `suppress` decides. */
function attack(interior: number[][], override?: (table: ReturnType<typeof withTotals>) => CellStatus[][]) {
  const table = withTotals(interior);
  const status = override ? override(table) : suppress(table);
  const exposed = cellsOf(table.values)
    .filter(
      ({ r, c }) => status[r]?.[c] !== 'shown' && !canDiffer(table.values, status, table.hasTotalRow, r, c),
    )
    .map(({ r, c }) => `(${r},${c})`);
  return { table, status, exposed };
}

const counts = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 5, max: 40 }) },
);
const tables = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 }))
  .chain(([rows, columns]) =>
    fc.array(fc.array(counts, { minLength: columns, maxLength: columns }), {
      minLength: rows,
      maxLength: rows,
    }),
  );

describe('suppression', () => {
  it('never shows a count from 1 to 4, and suppresses every one', () => {
    fc.assert(
      fc.property(tables, (interior) => {
        const table = withTotals(interior);
        const status = suppress(table);
        for (const { r, c, value } of cellsOf(table.values)) {
          const small = value >= 1 && value <= 4;
          if (small) expect(status[r]?.[c]).not.toBe('shown');
          if (status[r]?.[c] === 'primary') expect(small).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no suppressed cell that can be worked out from its row and column totals', () => {
    fc.assert(
      fc.property(tables, (interior) => {
        expect(attack(interior).exposed).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('holds for tables of the export’s own size: up to eight categories by four target groups', () => {
    const large = fc
      .integer({ min: 1, max: 8 })
      .chain((rows) =>
        fc.array(fc.array(counts, { minLength: 4, maxLength: 4 }), { minLength: rows, maxLength: rows }),
      );
    fc.assert(
      fc.property(large, (interior) => {
        expect(attack(interior).exposed).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('hides a 0 only when it withholds the whole table, and withholds only whole tables', () => {
    fc.assert(
      fc.property(tables, (interior) => {
        const table = withTotals(interior);
        const status = suppress(table);
        const withheld = status.flat().every((s) => s === 'withheld');
        if (!withheld) expect(status.flat()).not.toContain('withheld');
        for (const { r, c, value } of cellsOf(table.values)) {
          if (value === 0 && status[r]?.[c] !== 'shown') expect(withheld).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('has an attacker that does find a small count left to its totals (primary suppression alone)', () => {
    const primaryOnly = (table: ReturnType<typeof withTotals>) =>
      table.values.map((row) => row.map((v): CellStatus => (v >= 1 && v <= 4 ? 'primary' : 'shown')));
    expect(attack([[3, 20, 30, 0]], primaryOnly).exposed).toEqual(['(0,0)']);
    // Two small counts of a row whose sum gives each away: 1 + 1 = 2.
    expect(attack([[1, 1, 30, 0]], primaryOnly).exposed).toEqual(['(0,0)', '(0,1)']);
    // A column total that is the only other hidden value of its column.
    expect(
      attack(
        [
          [2, 15],
          [11, 6],
        ],
        (table) =>
          table.values.map((row, r) =>
            row.map(
              (v, c): CellStatus =>
                v >= 1 && v <= 4 ? 'primary' : r === 0 && c === 1 ? 'secondary' : 'shown',
            ),
          ),
      ).exposed.length,
    ).toBeGreaterThan(0);
  });

  it('withholds a table whose `<5` marks alone would give its counts away', () => {
    // Four groups of 1 whose row total is `<5`: each can only be 1.
    const { status, exposed } = attack([
      [0, 0, 5, 0],
      [1, 1, 1, 1],
    ]);
    expect(status.flat().every((s) => s === 'withheld')).toBe(true);
    expect(exposed).toEqual([]);
  });

  it('hides a second cell of a row whose one small count its total would give away', () => {
    // children 3, adults 20, older 30, unknown 0: total 53 would give 3 back.
    const { status, exposed } = attack([[3, 20, 30, 0]]);
    expect(status[0]).toEqual(['primary', 'secondary', 'shown', 'shown', 'shown']);
    expect(exposed).toEqual([]);
  });

  it('shows a table with no small count as it is', () => {
    const status = suppress(
      withTotals([
        [5, 12],
        [0, 7],
      ]),
    );
    expect(status.flat().every((s) => s === 'shown')).toBe(true);
  });

  it('protects a small count in a table with totals across both rows and columns', () => {
    const { status, exposed } = attack([
      [2, 15, 9],
      [11, 6, 0],
      [7, 0, 23],
    ]);
    expect(status[0]?.[0]).toBe('primary');
    expect(status.flat().filter((s) => s === 'secondary').length).toBeGreaterThanOrEqual(3);
    expect(exposed).toEqual([]);
  });

  it('decides the same way every time', () => {
    fc.assert(
      fc.property(tables, (interior) => {
        expect(suppress(withTotals(interior))).toEqual(suppress(withTotals(interior)));
      }),
      { numRuns: 100 },
    );
  });
});
