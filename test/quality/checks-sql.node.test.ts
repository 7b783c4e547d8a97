import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Finding, runChecks, runChecksSQL } from '../../src/index.js';
import { type Engine, openDuckDB, openPostgres, pgUrl } from '../helpers/engines.js';
import { customersData, fullSuite, ordersData } from './fixtures.js';

function comparable(f: Finding): Record<string, unknown> {
  const { observed, message, ...rest } = f;
  // kind findings report the engine's type name; aggregates may differ in the last bits.
  if (f.type === 'kind') return { ...rest, observed: 'kind' };
  if (typeof observed === 'number') return { ...rest, message: message.replace(/-?\d+\.\d+/g, '#'), observed: Number(observed.toPrecision(10)) };
  return { ...rest, message, observed };
}

for (const [name, open, enabled] of [
  ['duckdb', openDuckDB, true],
  ['postgres', openPostgres, pgUrl() !== undefined],
] as const) {
  describe.skipIf(!enabled)(`runChecksSQL on ${name}${enabled ? '' : ' (skipped: TESSERA_PG_URL not set)'}`, () => {
    let db: Engine;
    beforeAll(async () => {
      db = await open();
      await db.load('orders', ordersData());
      await db.load('customers', customersData());
    });
    afterAll(async () => db?.close());

    it('gives the same findings as in memory for every check type', async () => {
      const mem = runChecks(ordersData(), fullSuite, {
        rowId: 'rid',
        references: { customers: customersData() },
        predicates: { smallDiscount: (r) => (r.discount as number) < 100 },
      });
      const sql = await runChecksSQL(fullSuite, { table: 'orders', dialect: name, rowId: 'rid', query: (q) => db.query(q) });
      const skipped = sql.findings.filter((f) => f.code === 'skipped');
      expect(skipped.map((f) => [f.check, f.severity])).toEqual([['custom(smallDiscount)', 'info']]);
      expect(skipped[0]?.message).toContain('in memory only');
      const memFindings = mem.findings.filter((f) => f.type !== 'custom').map(comparable);
      const sqlFindings = sql.findings.filter((f) => f.code !== 'skipped').map(comparable);
      expect(sqlFindings).toEqual(memFindings);
      expect(sql.success).toBe(mem.success);
      expect(sql.checks).toBe(mem.checks);
    });

    it('passes a clean table and counts failing rows without a row id', async () => {
      const ok = await runChecksSQL(
        {
          checks: [
            { type: 'notNull', column: 'id' },
            { type: 'kind', column: 'id', kind: 'integer' },
          ],
        },
        { table: 'orders', dialect: name, query: (q) => db.query(q) },
      );
      expect(ok).toEqual({ success: true, findings: [], checks: 2 });
      const r = await runChecksSQL(
        { checks: [{ type: 'between', column: 'total', min: 0, max: 200 }] },
        { table: 'orders', dialect: name, query: (q) => db.query(q) },
      );
      expect(r.findings[0]?.failing).toBe(2);
      expect(r.findings[0]?.rows).toEqual([]);
    });

    it('runs a catastrophic pattern safely and binds hostile values', async () => {
      await db.load(
        'texts',
        (await import('../../src/index.js')).Dataset.from(
          { t: [`${'a'.repeat(5000)}!`, "x'); DROP TABLE orders; --", 'aaa'] },
          { schema: { t: { kind: 'text' } } },
        ),
      );
      const r = await runChecksSQL(
        {
          checks: [
            { type: 'matchesPattern', column: 't', pattern: '(a+)+$' },
            { type: 'inSet', column: 't', values: ["x'); DROP TABLE orders; --"] },
          ],
        },
        { table: 'texts', dialect: name, query: (q) => db.query(q) },
      );
      expect(r.findings.map((f) => [f.code, f.failing])).toEqual([
        ['pattern_mismatch', 2],
        ['not_in_set', 2],
      ]);
      expect((await db.query({ text: 'SELECT count(*) AS n FROM "orders"' }))[0]?.n).toBe(6);
    });

    it('wraps engine errors in E_QUERY', async () => {
      await expect(
        runChecksSQL({ checks: [{ type: 'notNull', column: 'nope' }] }, { table: 'orders', dialect: name, query: (q) => db.query(q) }),
      ).rejects.toMatchObject({ code: 'E_QUERY' });
    });
  });
}
