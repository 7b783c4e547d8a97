import type { AggregateFn, Condition, NumberExtract, OutputItem, PlanValue, QueryPlan, SelectPlan } from './plan.js';

const FN: Record<AggregateFn, string> = {
  count: 'the number',
  countDistinct: 'the number of distinct',
  sum: 'the sum of',
  avg: 'the average',
  median: 'the median',
  min: 'the smallest',
  max: 'the largest',
};

function val(v: PlanValue): string {
  if (typeof v === 'object') return v.date.slice(0, 10);
  return typeof v === 'string' ? `"${v}"` : String(v);
}

function colName(column: string, extract: NumberExtract | undefined): string {
  return extract === undefined
    ? column
    : extract === 'span'
      ? `the years spanned by ${column}`
      : extract === 'duration'
        ? `the seconds in ${column}`
        : extract === 'spaced'
          ? `the number in ${column}`
          : `the ${extract} in ${column}`;
}

function cond(c: Condition): string {
  switch (c.type) {
    case 'compare': {
      if (c.extract === 'date' && typeof c.value === 'number') {
        // yyyymmdd said as a date: "the date in Date is after 1959-10-31"
        const d = String(c.value).padStart(8, '0');
        const dop = { '=': 'is', '!=': 'is not', '<': 'is before', '<=': 'is on or before', '>': 'is after', '>=': 'is on or after' }[c.op];
        return `the date in ${c.column} ${dop} ${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
      }
      const op = { '=': 'is', '!=': 'is not', '<': 'is below', '<=': 'is at most', '>': 'is above', '>=': 'is at least' }[c.op];
      return `${colName(c.column, c.extract)} ${op} ${val(c.value)}`;
    }
    case 'between':
      return `${colName(c.column, c.extract)} is between ${val(c.low)} and ${val(c.high)}`;
    case 'in':
      return `${c.column} is one of ${c.values.map(val).join(', ')}`;
    case 'contains':
      return c.item ? `${c.column} lists "${c.value}"` : `${c.column} contains "${c.value}"`;
    case 'startsWith':
      return `${c.column} starts with "${c.value}"`;
    case 'isEmpty':
      return `${c.column} is empty`;
    case 'not':
      return `not (${cond(c.condition)})`;
    case 'compareColumns': {
      const op = { '=': 'equals', '!=': 'differs from', '<': 'is below', '<=': 'is at most', '>': 'is above', '>=': 'is at least' }[c.op];
      return `${colName(c.column, c.extract)} ${op} ${colName(c.other, c.extract)}`;
    }
    case 'rowPosition':
      return `the row comes ${c.op === '<' ? 'before' : 'after'} the first where ${cond(c.anchor)}`;
    case 'compareRow': {
      const op = { '=': 'is the same as', '!=': 'differs from', '<': 'is below', '<=': 'is at most', '>': 'is above', '>=': 'is at least' }[c.op];
      const its = c.ref === 'max' ? 'its largest value' : c.ref === 'min' ? 'its smallest value' : 'its value';
      return `${colName(c.column, c.extract)} ${op} ${its} where ${cond(c.anchor)}`;
    }
    case 'and':
      return c.conditions.map(cond).join(' and ');
    default:
      return `(${c.conditions.map(cond).join(' or ')})`;
  }
}

function item(it: OutputItem): string {
  if (it.type === 'column') return it.column;
  if (it.type === 'bucket') return it.extract ? `the year in ${it.column}` : `${it.column} by ${it.unit}`;
  if (it.fn === 'count') return it.column === null ? 'the number of rows' : `the number of ${it.column} values`;
  if (it.extract === 'span' && it.column !== null) return `the years spanned by ${it.column}`;
  // "the average of the number in Length", not "the average the number in Length"
  const fn = it.extract && !FN[it.fn].endsWith(' of') ? `${FN[it.fn]} of` : FN[it.fn];
  return `${fn} ${colName(it.column ?? 'rows', it.extract)}`;
}

function select(p: SelectPlan): string {
  let s = p.items.map(item).join(', ');
  if (p.groupBy.length > 0) s += ` for each ${p.groupBy.join(' and ')}`;
  if (p.where) s += ` where ${cond(p.where)}`;
  if (p.having) s += ` keeping groups where ${p.having.fn} of ${p.having.column ?? 'rows'} ${p.having.op} ${p.having.value}`;
  if (p.orderBy.length > 0) {
    const k = p.orderBy[0] as SelectPlan['orderBy'][number];
    const what =
      k.target.type === 'rowOrder'
        ? 'row order'
        : k.target.type === 'column'
          ? k.target.extract
            ? `${k.target.extract === 'spaced' ? 'number' : k.target.extract} in ${k.target.column}`
            : k.target.column
          : k.target.name;
    if (p.limit !== undefined) {
      const adj = k.target.type === 'rowOrder' ? (k.direction === 'asc' ? 'first' : 'last') : k.direction === 'desc' ? 'highest' : 'lowest';
      s +=
        p.limit === 1
          ? `, taking the ${p.groupBy.length > 0 ? p.groupBy.join(' and ') : 'row'} with the ${adj} ${k.target.type === 'rowOrder' ? 'position' : what}`
          : `, the ${p.limit} with the ${adj} ${what}`;
    } else s += `, sorted by ${what} ${k.direction === 'desc' ? 'descending' : 'ascending'}`;
  } else if (p.limit !== undefined) s += `, first ${p.limit}`;
  return s;
}

/**
 * Says a plan back in plain English, so a user can check how a question was understood.
 *
 * @example
 * ```ts
 * restate({ type: 'select', items: [{ type: 'aggregate', fn: 'count', column: null, as: 'count' }], groupBy: [], orderBy: [] });
 * // 'the number of rows'
 * ```
 */
export function restate(p: QueryPlan): string {
  if (p.type === 'select') return select(p);
  if (p.type === 'streak') return `the longest run of consecutive rows where ${cond(p.condition)}`;
  if (p.type === 'choice') {
    const right = typeof p.right === 'number' ? String(p.right) : `(${select(p.right)})`;
    return `"${p.labels.greater}" if (${select(p.left)}) is greater than ${right}, "${p.labels.less}" if less, "${p.labels.equal}" if equal`;
  }
  if (p.type === 'arithmetic') {
    const what =
      p.op === 'difference'
        ? 'the difference between'
        : p.op === 'absDifference'
          ? 'the size of the difference between'
          : p.op === 'sum'
            ? 'the sum of'
            : 'the ratio of';
    return `${what} (${select(p.left)}) and (${select(p.right)})`;
  }
  return `${p.columns.join(', ')} of the row ${p.direction} the one where ${cond(p.anchor)} (in ${p.order.type === 'rowOrder' ? 'row order' : `order of ${p.order.column}`})`;
}
