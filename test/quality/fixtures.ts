import { Dataset, type SuiteInput } from '../../src/index.js';

/** A small table exercising every check type (rid = row index, used as row id in SQL). */
export function ordersData(): Dataset {
  return Dataset.from(
    [
      {
        rid: 0,
        id: 1,
        customer: 'c1',
        status: 'paid',
        total: 10.5,
        discount: 1,
        code: 'AB-123',
        placed: '2024-03-01T10:00:00Z',
        shipped: '2024-03-02T10:00:00Z',
      },
      {
        rid: 1,
        id: 2,
        customer: 'c2',
        status: 'paid',
        total: 99,
        discount: 120,
        code: 'AB-124',
        placed: '2024-03-02T10:00:00Z',
        shipped: '2024-03-01T10:00:00Z',
      },
      { rid: 2, id: 2, customer: 'c9', status: 'lost', total: -5, discount: 0, code: 'x', placed: '2024-03-03T10:00:00Z', shipped: null },
      {
        rid: 3,
        id: 4,
        customer: null,
        status: 'open',
        total: null,
        discount: 2,
        code: 'CD-999',
        placed: '2024-03-04T10:00:00Z',
        shipped: '2024-03-05T10:00:00Z',
      },
      { rid: 4, id: 5, customer: 'c1', status: 'open', total: 250, discount: 3, code: null, placed: '2024-03-05T10:00:00Z', shipped: '2024-03-06T10:00:00Z' },
      {
        rid: 5,
        id: 6,
        customer: 'c2',
        status: 'paid',
        total: 40,
        discount: 4,
        code: 'ZZ-000',
        placed: '2024-03-06T10:00:00Z',
        shipped: '2024-03-06T12:00:00Z',
      },
    ],
    { schema: { status: { kind: 'category' }, customer: { kind: 'category' }, code: { kind: 'text' } } },
  );
}

export function customersData(): Dataset {
  return Dataset.from([{ cid: 'c1' }, { cid: 'c2' }, { cid: 'c3' }], { schema: { cid: { kind: 'text' } } });
}

/** Every check type, each failing on at least one row, plus some that pass. */
export const fullSuite: SuiteInput = {
  name: 'orders',
  checks: [
    { type: 'notNull', column: 'customer' },
    { type: 'notNull', column: 'id' },
    { type: 'complete', columns: ['customer', 'code', 'shipped'] },
    { type: 'unique', columns: ['id'] },
    { type: 'unique', columns: ['customer', 'status'], severity: 'warning' },
    { type: 'inSet', column: 'status', values: ['paid', 'open'] },
    { type: 'inSet', column: 'discount', values: [0, 1, 2, 3, 4] },
    { type: 'notInSet', column: 'status', values: ['lost', 'void'] },
    { type: 'notInSet', column: 'discount', values: [120, 7] },
    { type: 'between', column: 'total', min: 0, max: 200 },
    // mostly 0.8 of 6 rows allows 1.2, rounded up to 2 failing rows: 'lost' is within it (info);
    // mostly 0.9 allows 0.6 -> 1, and the 2 totals out of range are not within it
    { type: 'inSet', name: 'mostly(status)', column: 'status', values: ['paid', 'open'], mostly: 0.8 },
    { type: 'between', name: 'mostly(total)', column: 'total', min: 0, max: 200, mostly: 0.9 },
    // allowFailing 2: the 2 totals out of range are within it, whatever the share says
    { type: 'between', name: 'allow(total)', column: 'total', min: 0, max: 200, mostly: 0.9, allowFailing: 2 },
    { type: 'between', column: 'placed', min: '2024-03-02', max: '2024-03-05T12:00:00Z', severity: 'info' },
    { type: 'between', name: 'step(total)', column: 'total', step: 1 },
    { type: 'between', name: 'halves(total)', column: 'total', step: 0.5 },
    { type: 'between', column: 'discount', min: 0, max: 100, step: 2 },
    { type: 'matchesPattern', column: 'code', pattern: '[A-Z]{2}-\\d{3}' },
    { type: 'matchesPattern', column: 'status', pattern: 'paid|open' },
    { type: 'kind', column: 'total', kind: 'integer' },
    { type: 'kind', column: 'id', kind: 'integer' },
    { type: 'rowCountBetween', min: 10 },
    { type: 'rowCountBetween', min: 1, max: 100 },
    { type: 'columnStatBetween', column: 'total', stat: 'mean', min: 0, max: 50 },
    { type: 'columnStatBetween', column: 'total', stat: 'max', max: 1000 },
    { type: 'columnStatBetween', column: 'total', stat: 'stddev', max: 10 },
    { type: 'columnStatBetween', column: 'total', stat: 'sum', min: 1000 },
    { type: 'columnStatBetween', column: 'total', stat: 'min', min: 0 },
    { type: 'columnStatBetween', column: 'total', stat: 'median', min: 50 },
    { type: 'columnStatBetween', column: 'total', stat: 'variance', max: 1 },
    { type: 'columnStatBetween', column: 'customer', stat: 'nullFraction', max: 0 },
    { type: 'columnStatBetween', column: 'customer', stat: 'distinctCount', max: 2 },
    { type: 'columnStatBetween', column: 'total', stat: 'count', min: 6 },
    { type: 'relation', left: 'placed', op: '<=', right: 'shipped' },
    { type: 'relation', left: 'discount', op: '<', right: 'total' },
    {
      type: 'linear',
      terms: [
        { column: 'total', coef: 1 },
        { column: 'discount', coef: -0.5 },
      ],
      intercept: 2.25,
      min: 0,
      max: 100,
    },
    { type: 'linear', terms: [{ column: 'id', coef: 2 }], max: 9, severity: 'warning' },
    { type: 'freshness', column: 'placed', maxAgeMs: 86_400_000, now: '2024-03-10T00:00:00Z' },
    { type: 'freshness', column: 'placed', maxAgeMs: 7 * 86_400_000, now: '2024-03-10T00:00:00Z' },
    { type: 'referential', column: 'customer', reference: { table: 'customers', column: 'cid' } },
    { type: 'custom', predicate: 'smallDiscount', columns: ['discount'], severity: 'warning' },
  ],
};
