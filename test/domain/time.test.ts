import { describe, expect, it } from 'vitest';
import {
  addStockholmYears,
  fromStockholmLocal,
  toStockholmDate,
  toStockholmTimestamp,
} from '../../shared/domain/time.ts';

describe('Stockholm time', () => {
  it('writes timestamps with the offset in force: +01:00 in winter, +02:00 in summer', () => {
    expect(toStockholmTimestamp(new Date('2026-11-24T08:00:00.000Z'))).toBe('2026-11-24T09:00:00.000+01:00');
    expect(toStockholmTimestamp(new Date('2026-07-01T08:00:00.000Z'))).toBe('2026-07-01T10:00:00.000+02:00');
  });

  it('gives the Stockholm calendar date, which differs from UTC’s near midnight', () => {
    expect(toStockholmDate(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02');
    expect(toStockholmDate(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
    expect(toStockholmDate(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });

  it('reads wall-clock times across the daylight-saving changes', () => {
    // Spring: 02:00–03:00 on 29 March 2026 does not exist.
    expect(fromStockholmLocal(2026, 3, 29, 1, 59).toISOString()).toBe('2026-03-29T00:59:00.000Z');
    expect(fromStockholmLocal(2026, 3, 29, 3, 0).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // Autumn: 02:30 on 25 October 2026 happens twice; the first is taken.
    expect(fromStockholmLocal(2026, 10, 25, 2, 30).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(fromStockholmLocal(2026, 10, 25, 3, 30).toISOString()).toBe('2026-10-25T02:30:00.000Z');
  });

  it('adds a year on the Stockholm calendar, 29 February becoming 28 February', () => {
    expect(addStockholmYears(new Date('2025-02-28T09:00:00Z'), 1).toISOString()).toBe(
      '2026-02-28T09:00:00.000Z',
    );
    expect(addStockholmYears(new Date('2024-02-29T09:00:00Z'), 1).toISOString()).toBe(
      '2025-02-28T09:00:00.000Z',
    );
    // Given in summer time, ending in summer time: the same wall-clock hour.
    expect(toStockholmTimestamp(addStockholmYears(new Date('2026-06-01T10:00:00Z'), 1))).toBe(
      '2027-06-01T12:00:00.000+02:00',
    );
  });
});
