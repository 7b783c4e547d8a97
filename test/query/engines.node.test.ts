import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AggregateFn,
  type CellValue,
  type Condition,
  Dataset,
  executePlan,
  type NumberExtract,
  parse,
  type QueryPlan,
  type SelectPlan,
  toSQL,
} from '../../src/index.js';
import { type Engine, openDuckDB, openPostgres, pgUrl } from '../helpers/engines.js';
import { customers, NOW, QUESTIONS } from './fixture.js';

const ds = customers();

function norm(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Math.round(v * 1e9) / 1e9;
  return v ?? null;
}

function memoryRows(plan: QueryPlan, data: Dataset): unknown[][] {
  const r = executePlan(plan, data);
  const out: unknown[][] = [];
  for (let i = 0; i < r.nrows; i++) out.push(r.columnNames.map((c) => norm(r.get(i, c) as CellValue)));
  return out;
}

function isOrdered(plan: QueryPlan): boolean {
  return plan.type !== 'select' || plan.orderBy.length > 0;
}

function canon(rows: unknown[][], ordered: boolean): string[] {
  const s = rows.map((r) => JSON.stringify(r));
  return ordered ? s : s.sort();
}

/** Runs `plan` on the engine over `table` and expects the rows executePlan gives in memory on `data`. */
async function expectSame(db: Engine, engine: 'duckdb' | 'postgres', plan: QueryPlan, table: string, data: Dataset, rowOrder?: string): Promise<void> {
  const rows = await db.query(toSQL(plan, engine, table, rowOrder ? { rowOrder } : {}));
  const got = rows.map((r) => Object.values(r).map(norm));
  expect(canon(got, isOrdered(plan))).toEqual(canon(memoryRows(plan, data), isOrdered(plan)));
}

/** `name` of the rows meeting `where`, ordered by `column` read with `extract`. */
function namesWhere(where: Condition, column: string, extract: NumberExtract, direction: 'asc' | 'desc'): SelectPlan {
  return {
    type: 'select',
    items: [{ type: 'column', column: 'name', as: 'name' }],
    where,
    groupBy: [],
    orderBy: [{ target: { type: 'column', column, extract }, direction }],
  };
}

/** One aggregate of the rows meeting `where` (all rows without it). */
function aggregateWhere(fn: AggregateFn, column: string | null, as: string, where?: Condition): SelectPlan {
  return { type: 'select', items: [{ type: 'aggregate', fn, column, as }], ...(where ? { where } : {}), groupBy: [], orderBy: [] };
}

/** Aggregates over the whole table, each `[fn, column, as, extract]`. */
function totals(items: ReadonlyArray<readonly [AggregateFn, string, string, NumberExtract]>): SelectPlan {
  return { type: 'select', items: items.map(([fn, column, as, extract]) => ({ type: 'aggregate', fn, column, as, extract })), groupBy: [], orderBy: [] };
}

const plans = QUESTIONS.map(({ q, feature }) => ({ feature, q, plan: parse(q, ds, { now: NOW }).plan }));

for (const [name, open, enabled] of [
  ['duckdb', openDuckDB, true],
  ['postgres', openPostgres, pgUrl() !== undefined],
] as const) {
  describe.skipIf(!enabled)(`query plans on ${name}${enabled ? '' : ' (skipped: TESSERA_PG_URL not set)'}`, () => {
    let db: Engine;
    beforeAll(async () => {
      db = await open();
      await db.load('customers', ds);
    });
    afterAll(async () => db?.close());

    for (const { feature, q, plan } of plans) {
      it(`${feature} ("${q}") gives the same answer in memory and on ${name}`, async () => {
        const sql = toSQL(plan, name, 'customers', { rowOrder: 'row' });
        const rows = await db.query(sql);
        const got = rows.map((r) => Object.values(r).map(norm));
        const want = memoryRows(plan, ds);
        expect(canon(got, isOrdered(plan))).toEqual(canon(want, isOrdered(plan)));
      });
    }

    it('hand-built plans cover every condition and aggregate type', async () => {
      const shapes: QueryPlan[] = [
        {
          type: 'select',
          items: [
            { type: 'column', column: 'contract', as: 'contract' },
            { type: 'aggregate', fn: 'count', column: 'state', as: 'n' },
            { type: 'aggregate', fn: 'countDistinct', column: 'state', as: 'nd' },
            { type: 'aggregate', fn: 'sum', column: 'tenure', as: 's' },
            { type: 'aggregate', fn: 'avg', column: 'charges', as: 'a' },
            { type: 'aggregate', fn: 'median', column: 'charges', as: 'm' },
            { type: 'aggregate', fn: 'min', column: 'customer', as: 'lo' },
            { type: 'aggregate', fn: 'max', column: 'signup', as: 'hi' },
          ],
          where: {
            type: 'or',
            conditions: [
              { type: 'not', condition: { type: 'in', column: 'state', values: ['Utah'] } },
              {
                type: 'and',
                conditions: [
                  { type: 'startsWith', column: 'customer', value: 'G' },
                  { type: 'contains', column: 'contract', value: 'THLY' },
                ],
              },
            ],
          },
          groupBy: ['contract'],
          having: { fn: 'sum', column: 'tenure', op: '>=', value: 10 },
          orderBy: [{ target: { type: 'output', name: 'contract' }, direction: 'asc' }],
        },
        {
          type: 'select',
          items: [{ type: 'column', column: 'customer', as: 'customer' }],
          where: { type: 'between', column: 'signup', low: { date: '2023-03-01T00:00:00.000Z' }, high: { date: '2024-01-10T00:00:00.000Z' } },
          groupBy: [],
          orderBy: [{ target: { type: 'column', column: 'charges' }, direction: 'desc' }],
          limit: 3,
          offset: 1,
        },
        {
          type: 'select',
          items: [
            { type: 'bucket', column: 'signup', unit: 'quarter', as: 'q' },
            { type: 'bucket', column: 'signup', unit: 'day', as: 'd' },
          ],
          groupBy: [],
          orderBy: [],
          distinct: true,
        },
        {
          type: 'adjacent',
          direction: 'after',
          anchor: { type: 'compare', column: 'customer', op: '=', value: 'Eve' },
          order: { type: 'column', column: 'charges' },
          columns: ['customer', 'charges'],
        },
        aggregateWhere('count', null, 'n', { type: 'rowPosition', op: '<', anchor: { type: 'compare', column: 'state', op: '=', value: 'Utah' } }),
        {
          type: 'select',
          items: [{ type: 'column', column: 'customer', as: 'customer' }],
          where: {
            type: 'and',
            conditions: [
              { type: 'rowPosition', op: '>', anchor: { type: 'compare', column: 'contract', op: '=', value: 'yearly' } },
              { type: 'not', condition: { type: 'rowPosition', op: '>', anchor: { type: 'compare', column: 'customer', op: '=', value: 'Nobody' } } },
            ],
          },
          groupBy: [],
          orderBy: [],
        },
        { type: 'streak', as: 'streak', condition: { type: 'compare', column: 'state', op: '=', value: 'Texas' } },
        aggregateWhere('count', null, 'n', { type: 'compareColumns', column: 'tenure', op: '>', other: 'charges' }),
        {
          type: 'select',
          items: [{ type: 'column', column: 'customer', as: 'customer' }],
          where: {
            type: 'compareRow',
            column: 'contract',
            op: '=',
            ref: 'max',
            anchor: { type: 'not', condition: { type: 'isEmpty', column: 'state' } },
          },
          groupBy: [],
          orderBy: [],
        },
        {
          type: 'select',
          items: [{ type: 'column', column: 'customer', as: 'customer' }],
          where: { type: 'compareRow', column: 'tenure', op: '>=', ref: 'max', anchor: { type: 'compare', column: 'state', op: '=', value: 'Utah' } },
          groupBy: [],
          orderBy: [],
        },
        {
          type: 'streak',
          as: 'streak',
          condition: {
            type: 'or',
            conditions: [
              { type: 'compare', column: 'contract', op: '=', value: 'monthly' },
              { type: 'isEmpty', column: 'state' },
            ],
          },
        },
        { type: 'streak', as: 'streak', condition: { type: 'compare', column: 'tenure', op: '>', value: 1000 } },
        {
          type: 'choice',
          as: 'answer',
          labels: { greater: 'more', less: 'less', equal: 'same' },
          left: aggregateWhere('sum', 'charges', 'x', { type: 'compare', column: 'state', op: '=', value: 'Texas' }),
          right: aggregateWhere('sum', 'charges', 'y', { type: 'compare', column: 'state', op: '=', value: 'Ohio' }),
        },
        {
          type: 'choice',
          as: 'answer',
          labels: { greater: 'yes', less: 'no', equal: 'yes' },
          left: aggregateWhere('count', null, 'n', { type: 'compare', column: 'state', op: '=', value: 'Utah' }),
          right: 2,
        },
        {
          type: 'choice',
          as: 'answer',
          labels: { greater: 'above', less: 'below', equal: 'same' },
          left: aggregateWhere('sum', 'tenure', 'x', { type: 'isEmpty', column: 'customer' }),
          right: 3,
        },
        {
          type: 'arithmetic',
          op: 'sum',
          as: 's',
          left: aggregateWhere('sum', 'tenure', 'x'),
          right: aggregateWhere('sum', 'charges', 'y', { type: 'compare', column: 'state', op: '=', value: 'Ohio' }),
        },
        {
          type: 'arithmetic',
          op: 'ratio',
          as: 'r',
          left: aggregateWhere('avg', 'tenure', 'x'),
          right: aggregateWhere('count', null, 'y', { type: 'isEmpty', column: 'state' }),
        },
      ];
      for (const plan of shapes) {
        await expectSame(db, name, plan, 'customers', ds, 'row');
      }
    });

    it('matches whole items of comma-separated list cells the same way in memory and in SQL', async () => {
      const hubs = Dataset.from({
        city: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
        airlines: ['American, United', 'United States Air, Delta', 'united', ' Spirit ,  UNITED  ', null, 'Delta,United', 'Reunited, Delta'],
      });
      await db.load('hubs', hubs);
      for (const value of ['United', 'united ', 'Delta', 'United States Air', 'Air', 'a, b']) {
        const plan: QueryPlan = {
          type: 'select',
          items: [{ type: 'column', column: 'city', as: 'city' }],
          where: { type: 'contains', column: 'airlines', value, item: true },
          groupBy: [],
          orderBy: [],
        };
        await expectSame(db, name, plan, 'hubs', hubs);
      }
      const united: QueryPlan = {
        type: 'select',
        items: [{ type: 'column', column: 'city', as: 'city' }],
        where: { type: 'contains', column: 'airlines', value: 'United', item: true },
        groupBy: [],
        orderBy: [],
      };
      expect(memoryRows(united, hubs).flat().sort()).toEqual(['a', 'c', 'd', 'f']);
    });

    it('reads numbers grouped by spaces ("98 453") the same way in memory and in SQL', async () => {
      const spaced = Dataset.from({
        name: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
        n: ['98 453', '1 204 118 people', '812', null, 'about 3 45', '12,345 678.5', 'x', '7 1234'],
      });
      await db.load('spaced', spaced);
      const plans: QueryPlan[] = [
        namesWhere({ type: 'compare', column: 'n', op: '>', value: 100, extract: 'spaced' }, 'n', 'spaced', 'desc'),
        totals([
          ['sum', 'n', 's', 'spaced'],
          ['max', 'n', 'hi', 'spaced'],
          ['count', 'n', 'k', 'spaced'],
        ]),
      ];
      for (const plan of plans) {
        await expectSame(db, name, plan, 'spaced', spaced);
      }
      expect(memoryRows(plans[0] as QueryPlan, spaced).flat()).toEqual(['f', 'b', 'a', 'h', 'c']);
    });

    it('reads dates written as text (extract "date") the same way in memory and in SQL', async () => {
      const dated = Dataset.from({
        name: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'],
        when: [
          'October 31, 1959',
          '14 Nov. 1959',
          '1959-12-05',
          'Sat. Oct 3rd 1959 (night)',
          null,
          'Marseille 3 1959',
          'November 1959',
          'sept 9 2001',
          '31 DECEMBER 1999',
        ],
      });
      await db.load('dated', dated);
      const plans: QueryPlan[] = [
        namesWhere({ type: 'compare', column: 'when', op: '>', value: 19591031, extract: 'date' }, 'when', 'date', 'asc'),
        totals([
          ['min', 'when', 'lo', 'date'],
          ['max', 'when', 'hi', 'date'],
          ['count', 'when', 'k', 'date'],
        ]),
      ];
      for (const plan of plans) {
        await expectSame(db, name, plan, 'dated', dated);
      }
      expect(memoryRows(plans[0] as QueryPlan, dated).flat()).toEqual(['b', 'c', 'i', 'h']);
    });

    it('reads numbers and years out of text the same way in memory and in SQL', async () => {
      const units = Dataset.from({
        row: [0, 1, 2, 3, 4, 5, 6],
        length: ['2 miles', '7,000 (est.)', '12.5 km', null, 'unknown', '0.75 mi', '1,2,3'],
        born: ['5 July 2001', 'March 28, 1991', '1989 – 1991', 'c. 12345', '11/6/2009', null, 'in 1800s'],
        career: ['1954–1965', '2000–present', 'b. 1950, 1970 to 1981', null, '1999-12000, 2001-2003', '12345–1990', '1966'],
        time: ['1:08.89', '+0.27', '2:03:59', '3:45 (est.)', null, 'DNF', '12:5'],
        name: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
      });
      await db.load('units', units);
      const shapes: QueryPlan[] = [
        namesWhere({ type: 'compare', column: 'length', op: '>', value: 2, extract: 'number' }, 'length', 'number', 'desc'),
        namesWhere({ type: 'between', column: 'born', low: 1990, high: 2005, extract: 'year' }, 'born', 'year', 'asc'),
        totals([
          ['sum', 'length', 's', 'number'],
          ['avg', 'length', 'a', 'number'],
          ['max', 'length', 'hi', 'number'],
          ['min', 'born', 'lo', 'year'],
          ['sum', 'career', 'span', 'span'],
          ['count', 'born', 'n', 'year'],
        ]),
      ];
      shapes.push(
        {
          type: 'select',
          items: [{ type: 'column', column: 'name', as: 'name' }],
          where: {
            type: 'and',
            conditions: [
              { type: 'compareRow', column: 'length', op: '>', anchor: { type: 'compare', column: 'name', op: '=', value: 'c' }, extract: 'number' },
              { type: 'compare', column: 'name', op: '!=', value: 'c' },
            ],
          },
          groupBy: [],
          orderBy: [],
        },
        {
          type: 'select',
          items: [{ type: 'aggregate', fn: 'count', column: null, as: 'n' }],
          where: {
            type: 'not',
            condition: { type: 'compareRow', column: 'born', op: '=', anchor: { type: 'compare', column: 'name', op: '=', value: 'zzz' } },
          },
          groupBy: [],
          orderBy: [],
        },
        {
          type: 'select',
          items: [{ type: 'column', column: 'born', as: 'born' }],
          where: { type: 'compareRow', column: 'born', op: '=', anchor: { type: 'in', column: 'name', values: ['a', 'b'] } },
          groupBy: [],
          orderBy: [],
        },
        {
          type: 'select',
          items: [{ type: 'column', column: 'name', as: 'name' }],
          where: { type: 'compareColumns', column: 'length', op: '<', other: 'row', extract: 'number' },
          groupBy: [],
          orderBy: [],
        },
        {
          type: 'select',
          items: [
            { type: 'column', column: 'name', as: 'name' },
            { type: 'column', column: 'time', as: 'time' },
          ],
          where: { type: 'compare', column: 'time', op: '<', value: 300, extract: 'duration' },
          groupBy: [],
          orderBy: [{ target: { type: 'column', column: 'time', extract: 'duration' }, direction: 'asc' }],
        },
        totals([['sum', 'time', 's', 'duration']]),
        {
          type: 'select',
          items: [
            { type: 'bucket', column: 'born', unit: 'year', as: 'y', extract: 'year' },
            { type: 'aggregate', fn: 'count', column: null, as: 'n' },
          ],
          groupBy: ['y'],
          orderBy: [{ target: { type: 'output', name: 'y' }, direction: 'asc' }],
        },
        namesWhere({ type: 'compare', column: 'career', op: '>=', value: 2, extract: 'span' }, 'career', 'span', 'desc'),
      );
      for (const plan of shapes) {
        await expectSame(db, name, plan, 'units', units, 'row');
      }
      expect(memoryRows(shapes[0] as QueryPlan, units)).toEqual([['b'], ['g'], ['c']]);
      expect(memoryRows(shapes[3] as QueryPlan, units)).toEqual([['b'], ['g']]);
      expect(memoryRows(shapes[4] as QueryPlan, units)).toEqual([[0]]);
      expect(memoryRows(shapes[5] as QueryPlan, units)).toEqual([['5 July 2001']]);
      expect(memoryRows(shapes[2] as QueryPlan, units)[0]).toEqual([7138.25, 7138.25 / 5, 7000, 1800, 11 + 20 + 2, 5]);
      expect(memoryRows(shapes[shapes.length - 1] as QueryPlan, units)).toEqual([['c'], ['a'], ['e']]);
      expect(memoryRows(shapes[shapes.length - 4] as QueryPlan, units)).toEqual([
        ['a', '1:08.89'],
        ['d', '3:45 (est.)'],
      ]);
      expect(memoryRows(shapes[shapes.length - 3] as QueryPlan, units)).toEqual([[68.89 + 7439 + 225]]);
      expect(memoryRows(shapes[shapes.length - 2] as QueryPlan, units)).toEqual([
        [1800, 1],
        [1989, 1],
        [1991, 1],
        [2001, 1],
        [2009, 1],
        [null, 2],
      ]);
    });

    it('is not injectable through values or column names', async () => {
      const evilCol = 'x"; DROP TABLE customers; --';
      const evilVal = "'; DROP TABLE customers; --";
      const evil = Dataset.from({ [evilCol]: [evilVal, 'safe', "O'Brien"], n: [1, 2, 3] });
      await db.load('evil', evil);
      const r = parse(`how many rows have ${evilCol} equal to ${evilVal}`, evil);
      void r;
      const plan: QueryPlan = {
        type: 'select',
        items: [{ type: 'aggregate', fn: 'count', column: null, as: 'n' }],
        where: {
          type: 'or',
          conditions: [
            { type: 'compare', column: evilCol, op: '=', value: evilVal },
            { type: 'contains', column: evilCol, value: "o'b" },
          ],
        },
        groupBy: [],
        orderBy: [],
      };
      const rows = await db.query(toSQL(plan, name, 'evil'));
      expect(rows.map((x) => norm(x.n))).toEqual([2]);
      expect(memoryRows(plan, evil)).toEqual([[2]]);
      // the tables are still there
      const still = await db.query({ text: 'SELECT COUNT(*) AS n FROM "customers"' });
      expect(norm(still[0]?.n)).toBe(10);
    });
  });
}
