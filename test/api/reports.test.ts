/** GET /reports/regional over HTTP: who may read whose figures, the formats, and every bad query refused. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.ts';
import { planDriver } from '../support/process.ts';
import { elsa, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

/** Every request of this file is stamped with this instant: the plans it creates count in February 2026. */
const NOW = new Date('2026-02-10T10:00:00+01:00');
const FEBRUARY = 'from=2026-02-01&to=2026-02-28';
const REGION_READER = { organisationId: VARDCENTRAL, scopes: ['report.read'] };
const MUNICIPAL_READER = { organisationId: HEMTJANST, scopes: ['report.read'] };

let api: Awaited<ReturnType<typeof startTestApi>>;
beforeAll(async () => {
  api = await startTestApi({ clock: () => NOW });
  const driver = planDriver(api);
  // Six plans of Elsa's kind: discharge, older, the region and Göteborg taking part.
  const noticed = { ...elsa, initiation: { ...elsa.initiation, noticedAt: '2026-02-02T10:00:00+01:00' } };
  for (let i = 0; i < 6; i++) await driver.create(noticed);
});
afterAll(() => api?.close());

const rowsOf = (
  body: { rows: Record<string, unknown>[] },
  principal: string,
  indicator: string,
  category: string,
) => body.rows.find((r) => r.principal === principal && r.indicator === indicator && r.category === category);

describe('a report reader at the region', () => {
  it('reads every registered principal’s figures as JSON', async () => {
    const res = await api.call('GET', `/reports/regional?${FEBRUARY}`, { as: REGION_READER });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.json.period).toEqual({ type: 'month', from: '2026-02-01', to: '2026-02-28' });
    expect(rowsOf(res.json, '14', 'initiated', 'discharge')).toMatchObject({
      older: 6,
      total: 6,
      children: 0,
    });
    expect(rowsOf(res.json, '1480', 'initiated', 'discharge')).toMatchObject({ older: 6, total: 6 });
    expect(rowsOf(res.json, '14', 'endOfPeriod', 'active')).toMatchObject({
      older: 6,
      total: 6,
      unit: 'count',
    });
    expect(new Set(res.json.rows.map((r: { principal: string }) => r.principal))).toEqual(
      new Set(['14', '1480']),
    );
  });

  it('gets a CSV that Excel with Swedish settings opens: UTF-8 with BOM, semicolons, a file name', async () => {
    const res = await fetch(`${api.url}/reports/regional?${FEBRUARY}&format=csv&principal=1480`, {
      headers: { authorization: `Bearer ${await api.token(REGION_READER)}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="sip-regional-2026-02-01--2026-02-28-1480.csv"',
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const [header, ...lines] = text.trimEnd().split('\r\n');
    expect(header).toBe(
      'Period;Från;Till;Huvudman (kod);Typ av huvudman;Indikator;Kategori;Enhet;Barn 0–17 år;Vuxna 18–64 år;Äldre 65+ år;Okänd ålder;Totalt;Beskrivning',
    );
    expect(lines).toContain(
      'månad;2026-02-01;2026-02-28;1480;kommun;Påbörjade;utskrivning från slutenvård;antal;0;0;6;0;6;Påbörjade planer (behov uppmärksammat), utskrivning från slutenvård',
    );
    expect(text).not.toMatch(/\d{6,8}[-+]?\d{4}/);
  });

  it('gets a spreadsheet as bytes, with its media type and a file name', async () => {
    const res = await fetch(`${api.url}/reports/regional?${FEBRUARY}&format=xlsx`, {
      headers: { authorization: `Bearer ${await api.token(REGION_READER)}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="sip-regional-2026-02-01--2026-02-28.xlsx"',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet('Påbörjade');
    // Row 2 is the region's first category (discharge): six plans of older people.
    expect(sheet?.getRow(2).getCell(3).value).toBe('utskrivning från slutenvård');
    expect(sheet?.getRow(2).getCell(7).value).toBe(6);
  });

  it('gets a page to read in the browser, with a chart per timeliness share and no script', async () => {
    const res = await fetch(`${api.url}/reports/regional?${FEBRUARY}&format=html&principal=1480`, {
      headers: { authorization: `Bearer ${await api.token(REGION_READER)}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'inline; filename="sip-regional-2026-02-01--2026-02-28-1480.html"',
    );
    const html = await res.text();
    expect(html).toContain('<h2 id="h-0">Kommun 1480</h2>');
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).not.toMatch(/<script/i);
  });

  it('leaves its request in the audit log', async () => {
    await api.call('GET', `/reports/regional?${FEBRUARY}`, { as: REGION_READER });
    const entries = await api.auditEntries();
    expect(entries.some((e) => e.action === 'regionalReport' && e.outcome === 'allowed')).toBe(true);
  });
});

describe('a report reader at a municipality', () => {
  it('reads its own principal’s figures without asking for them', async () => {
    const res = await api.call('GET', `/reports/regional?${FEBRUARY}`, { as: MUNICIPAL_READER });
    expect(res.status).toBe(200);
    expect(new Set(res.json.rows.map((r: { principal: string }) => r.principal))).toEqual(new Set(['1480']));
  });

  it('may not read the region’s', async () => {
    const res = await api.call('GET', `/reports/regional?${FEBRUARY}&principal=14`, { as: MUNICIPAL_READER });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.type).toBe('/problems/forbidden');
  });
});

describe('who else may not read reports', () => {
  it('a caller without the report.read scope', async () => {
    const res = await api.call('GET', `/reports/regional?${FEBRUARY}`, {
      as: { organisationId: VARDCENTRAL, scopes: ['sip.read', 'sip.write'] },
    });
    expect(res.status).toBe(403);
    expect(res.json.detail).toContain('report.read');
  });

  it('a caller whose principal is not in the report register', async () => {
    const res = await api.call('GET', `/reports/regional?${FEBRUARY}`, {
      as: { organisationId: 'SE5560000001-E000000000001', scopes: ['report.read'] },
    });
    expect(res.status).toBe(403);
    expect(res.json.detail).toContain('register');
  });
});

describe('a bad query', () => {
  const refused = async (query: string) => {
    const res = await api.call('GET', `/reports/regional?${query}`, { as: REGION_READER });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.type).toBe('/problems/validation-failed');
    return res.json.errors.map((e: { parameter: string }) => e.parameter);
  };

  it('is refused, naming the parameter, for a missing period', async () => {
    expect(await refused('')).toEqual(['from', 'to']);
  });

  it('is refused for a period that does not start on the first or end on the last day of a month', async () => {
    expect(await refused('from=2026-02-02&to=2026-02-28')).toEqual(['from']);
    expect(await refused('from=2026-02-01&to=2026-02-27')).toEqual(['to']);
    expect(await refused('from=2026-02-01&to=2026-02-30')).toEqual(['to']);
  });

  it('is refused for a period that ends before it starts, or is longer than twelve months', async () => {
    expect(await refused('from=2026-03-01&to=2026-02-28')).toEqual(['to']);
    expect(await refused('from=2026-01-01&to=2027-01-31')).toEqual(['to']);
  });

  it('is refused for an unknown format, principal or parameter', async () => {
    expect(await refused(`${FEBRUARY}&format=pdf`)).toEqual(['format']);
    expect(await refused(`${FEBRUARY}&principal=SE2321000131`)).toEqual(['principal']);
    expect(await refused(`${FEBRUARY}&principal=1481`)).toEqual(['principal']);
    expect(await refused(`${FEBRUARY}&kommun=1480`)).toEqual(['kommun']);
  });
});
