import { Dataset } from '../../src/index.js';

const d = (s: string): Date => new Date(`${s}T00:00:00Z`);

/** A small customers table used by the query tests (row = row order, for SQL). */
export function customers(): Dataset {
  return Dataset.from({
    row: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    customer: ['Ann', 'Bob', 'Cid', 'Dee', 'Eve', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jon'],
    state: ['Texas', 'Ohio', 'Texas', 'Utah', 'Ohio', 'Texas', 'Utah', 'Ohio', 'Texas', null],
    contract: ['monthly', 'yearly', 'monthly', 'two year', 'monthly', 'yearly', 'monthly', 'two year', 'monthly', 'yearly'],
    tenure: [30, 2, 45, 12, 60, 25, 5, 70, 18, 33],
    charges: [70.5, 20, 99.9, 55, 80, 45.5, 30, 65, 90, 50],
    signup: [
      d('2023-01-15'),
      d('2023-03-02'),
      d('2023-03-20'),
      d('2023-05-09'),
      d('2023-07-01'),
      d('2024-01-10'),
      d('2024-02-14'),
      d('2024-05-30'),
      d('2024-06-10'),
      d('2024-06-25'),
    ],
  });
}

export const NOW = d('2024-06-30');

/** Question → expected rows (as returned by executePlan), one per feature of the grammar. */
export const QUESTIONS: ReadonlyArray<{ q: string; feature: string; rows: Record<string, unknown>[] }> = [
  { feature: 'count + filter (=)', q: 'how many customers are in Texas', rows: [{ count: 4 }] },
  { feature: 'sum', q: 'total charges in ohio', rows: [{ 'sum charges': 165 }] },
  { feature: 'median', q: 'median tenure', rows: [{ 'median tenure': 27.5 }] },
  { feature: 'count distinct', q: 'number of different states', rows: [{ 'countDistinct state': 3 }] },
  { feature: 'min', q: 'minimum charges', rows: [{ 'min charges': 20 }] },
  {
    feature: 'avg + group by + filter (>)',
    q: 'average charges by contract for customers with tenure over 24',
    rows: [
      { contract: 'monthly', 'avg charges': (70.5 + 99.9 + 80) / 3 },
      { contract: 'yearly', 'avg charges': 47.75 },
      { contract: 'two year', 'avg charges': 65 },
    ],
  },
  { feature: 'superlative', q: 'which customer has the highest charges', rows: [{ customer: 'Cid' }] },
  { feature: 'top N', q: 'top 3 customers by charges', rows: [{ customer: 'Cid' }, { customer: 'Ivy' }, { customer: 'Eve' }] },
  { feature: 'bottom N', q: 'bottom 2 customers by tenure', rows: [{ customer: 'Bob' }, { customer: 'Gus' }] },
  {
    feature: 'between',
    q: 'customers with tenure between 10 and 30',
    rows: [{ customer: 'Ann' }, { customer: 'Dee' }, { customer: 'Fay' }, { customer: 'Ivy' }],
  },
  {
    feature: 'in (or)',
    q: 'customers in utah or ohio',
    rows: [{ customer: 'Bob' }, { customer: 'Dee' }, { customer: 'Eve' }, { customer: 'Gus' }, { customer: 'Hal' }],
  },
  {
    feature: 'negation',
    q: 'customers not in texas',
    rows: [{ customer: 'Bob' }, { customer: 'Dee' }, { customer: 'Eve' }, { customer: 'Gus' }, { customer: 'Hal' }],
  },
  { feature: 'and + < + >', q: 'customers with tenure below 20 and charges above 50', rows: [{ customer: 'Dee' }, { customer: 'Ivy' }] },
  { feature: '>= with symbols', q: 'customers with charges >= 80', rows: [{ customer: 'Cid' }, { customer: 'Eve' }, { customer: 'Ivy' }] },
  { feature: 'contains', q: 'customers containing y', rows: [{ customer: 'Fay' }, { customer: 'Ivy' }] },
  { feature: 'starts with', q: 'customers starting with d', rows: [{ customer: 'Dee' }] },
  { feature: 'is empty', q: 'customers with empty state', rows: [{ customer: 'Jon' }] },
  { feature: 'first by row order', q: 'first customer', rows: [{ customer: 'Ann' }] },
  { feature: 'last by row order', q: 'last customer', rows: [{ customer: 'Jon' }] },
  { feature: 'row after', q: 'who is after Cid', rows: [{ customer: 'Dee' }] },
  { feature: 'row before', q: 'who is before Cid', rows: [{ customer: 'Bob' }] },
  { feature: 'difference', q: 'how many more charges did Ann have than Bob', rows: [{ difference: 50.5 }] },
  { feature: 'ratio', q: 'ratio of charges for ann and bob', rows: [{ ratio: 70.5 / 20 }] },
  { feature: 'year range', q: 'how many customers signed up in 2023', rows: [{ count: 5 }] },
  { feature: 'last 30 days', q: 'customers who signed up in the last 30 days', rows: [{ customer: 'Ivy' }, { customer: 'Jon' }] },
  { feature: 'after a day', q: 'customers who signed up after may 30, 2024', rows: [{ customer: 'Ivy' }, { customer: 'Jon' }] },
  { feature: 'before a day', q: 'customers who signed up before march 2, 2023', rows: [{ customer: 'Ann' }] },
  { feature: 'between months', q: 'customers who signed up between march and may 2023', rows: [{ customer: 'Bob' }, { customer: 'Cid' }, { customer: 'Dee' }] },
  {
    feature: 'by month',
    q: 'count by month',
    rows: [
      { 'signup month': 202301, count: 1 },
      { 'signup month': 202303, count: 2 },
      { 'signup month': 202305, count: 1 },
      { 'signup month': 202307, count: 1 },
      { 'signup month': 202401, count: 1 },
      { 'signup month': 202402, count: 1 },
      { 'signup month': 202405, count: 1 },
      { 'signup month': 202406, count: 2 },
    ],
  },
  {
    feature: 'having',
    q: 'number of customers by contract with more than 2 customers',
    rows: [
      { contract: 'monthly', count: 5 },
      { contract: 'yearly', count: 3 },
    ],
  },
  { feature: 'most common', q: 'which contract is the most common', rows: [{ contract: 'monthly', count: 5 }] },
  {
    feature: 'grouped max',
    q: 'max tenure by state',
    rows: [
      { state: 'Texas', 'max tenure': 45 },
      { state: 'Ohio', 'max tenure': 70 },
      { state: 'Utah', 'max tenure': 12 },
      { state: null, 'max tenure': 33 },
    ],
  },
  { feature: 'typo (fuzzy value)', q: 'how many customers in texxas', rows: [{ count: 4 }] },
  { feature: 'calendar day', q: 'total charges on march 2, 2023', rows: [{ 'sum charges': 20 }] },
  { feature: 'absolute difference', q: 'what is the difference in charges between bob and ann', rows: [{ absDifference: 50.5 }] },
  { feature: 'choice between two values', q: 'who has more tenure, ann or cid', rows: [{ customer: 'Cid' }] },
  {
    feature: 'negated comparison',
    q: 'customers who do not have tenure over 30',
    rows: [{ customer: 'Ann' }, { customer: 'Bob' }, { customer: 'Dee' }, { customer: 'Fay' }, { customer: 'Gus' }, { customer: 'Ivy' }],
  },
  { feature: 'most + counted noun', q: 'which contract has the most customers', rows: [{ contract: 'monthly', count: 5 }] },
  { feature: 'magnitudes', q: 'customers with tenure over 0.05k', rows: [{ customer: 'Eve' }, { customer: 'Hal' }] },
];
