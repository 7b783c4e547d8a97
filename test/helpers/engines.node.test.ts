import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset } from '../../src/index.js';
import { type Engine, openDuckDB, openPostgres, pgUrl } from './engines.js';

const ds = Dataset.from([
  { id: 1, region: 'north', income: 52000.5, seen: '2024-03-01', vip: true },
  { id: 2, region: 'south', income: null, seen: '2024-03-02', vip: false },
]);

for (const [name, open, enabled] of [
  ['duckdb', openDuckDB, true],
  ['postgres', openPostgres, pgUrl() !== undefined],
] as const) {
  describe.skipIf(!enabled)(`test engine ${name}${enabled ? '' : ' (skipped: TESSERA_PG_URL not set)'}`, () => {
    let db: Engine;
    beforeAll(async () => {
      db = await open();
      await db.load('people', ds);
    });
    afterAll(async () => db?.close());
    it('loads a Dataset and binds parameters', async () => {
      const rows = await db.query({ text: 'SELECT id, income, seen FROM "people" WHERE region = $1', params: ['north'] });
      expect(rows).toEqual([{ id: 1, income: 52000.5, seen: new Date('2024-03-01T00:00:00Z') }]);
      const n = await db.query({ text: 'SELECT count(*) AS n FROM "people" WHERE income IS NULL' });
      expect(n).toEqual([{ n: 1 }]);
    });
  });
}
