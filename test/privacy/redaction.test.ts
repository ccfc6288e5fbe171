/** No personal identity number or personal field reaches a log line, however it gets there. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../shared/observability/powertools.ts';
import { PERSONAL_IDENTITY_NUMBER, redactLogValue, redactText } from '../../shared/privacy/redaction.ts';
import { elsa } from '../support/scenarios.ts';

const NUMBERS = ['19121212-1212', '191212121212', '121212-1212', '121212+1212', '1212121212', '198001719999'];

describe('redaction', () => {
  it('masks every written form of a personal identity number, and leaves times and ids alone', () => {
    for (const number of NUMBERS) expect(redactText(`id ${number}.`)).toBe('id [personnummer].');
    const harmless =
      '2026-11-25T09:37:14.123Z 12345678-1234-7d02-a5ff-123456789012 SE2321000131-E000000000001 1764063434000 42';
    expect(redactText(harmless)).toBe(harmless);
  });

  it('drops the personal fields of a plan, wherever they are nested', () => {
    const line = JSON.stringify(
      { at: { deep: { individual: elsa.individual, content: elsa.content } } },
      redactLogValue,
    );
    expect(line).not.toContain(elsa.individual.name);
    expect(line).not.toMatch(PERSONAL_IDENTITY_NUMBER);
    expect(JSON.parse(line).at.deep).toEqual({ individual: '[redacted]', content: '[redacted]' });
  });

  describe('the logger', () => {
    afterEach(() => vi.restoreAllMocks());

    it('redacts messages, attributes and errors in every line it writes', () => {
      const lines: string[] = [];
      const capture = (...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      };
      // Powertools writes through a console of its own in Lambda and the global one elsewhere: catch both.
      for (const stream of [process.stdout, process.stderr])
        vi.spyOn(stream, 'write').mockImplementation((chunk) => {
          lines.push(String(chunk));
          return true;
        });
      for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
        vi.spyOn(console, method).mockImplementation(capture);

      logger.error(`lookup failed for ${NUMBERS[0]}`, {
        error: new Error(`no plan for ${NUMBERS[1]}`),
        individual: elsa.individual,
        request: { query: `personalIdentity=${NUMBERS[2]}`, name: elsa.individual.name },
      });
      const output = lines.join('\n');
      expect(output).toContain('lookup failed for [personnummer]');
      expect(output).toContain('no plan for [personnummer]');
      // An error keeps its class name: only a person's name is personal.
      expect(output).toContain('"name":"Error"');
      expect(output).not.toMatch(PERSONAL_IDENTITY_NUMBER);
      expect(output).not.toContain(elsa.individual.name);
    });
  });
});
