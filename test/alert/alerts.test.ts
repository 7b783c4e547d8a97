import { describe, expect, it } from 'vitest';
import {
  type Alert,
  AlertManager,
  callbackSink,
  consoleSink,
  countInWindow,
  Dataset,
  driftRule,
  isTesseraError,
  postAlert,
  scoreAbove,
  webhookSink,
  ZScore,
} from '../../src/index.js';

function clock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('alert rules', () => {
  it('scoreAbove fires per row above the threshold, carrying row, score and explanation', async () => {
    const ds = Dataset.from({ amount: [10, 11, 9, 10, 12, 10, 95] });
    const fitted = await new ZScore().fit(ds);
    const scores = fitted.score(ds);
    const seen: Alert[] = [];
    const m = new AlertManager({ rules: [scoreAbove(2)], sinks: [callbackSink((a) => seen.push(a))] });
    for (let i = 0; i < ds.nrows; i++) await m.process({ row: i, score: scores[i] as number, record: ds.row(i), explanation: fitted.explain(ds, i) });
    await m.flush();
    expect(seen.length).toBe(1);
    const a = seen[0] as Alert;
    expect(a.rows[0]?.row).toBe(6);
    expect(a.scores[0]).toBeCloseTo(scores[6] as number, 12);
    const r0 = a.rows[0] as Alert['rows'][number];
    expect((r0.record as { amount: number }).amount).toBe(95);
    expect((r0.explanation as { contributions: { column: string }[] }).contributions[0]?.column).toBe('amount');
    expect(a.message).toMatch(/row 6/);
  });

  it('countInWindow fires on N anomalies among the last W events of a key', async () => {
    const m = new AlertManager({ rules: [countInWindow({ threshold: 0.5, count: 3, window: 5 })], sinks: [], dedupMs: 0 });
    const fired: number[] = [];
    const s = [0.9, 0.1, 0.8, 0.1, 0.1, 0.1, 0.7, 0.9, 0.95];
    for (let i = 0; i < s.length; i++) if ((await m.process({ row: i, score: s[i] as number })).length) fired.push(i);
    // rows 0, 2 are in the window at row 2 but only two; at 7: rows 6, 7 (2); at 8: rows 6, 7, 8 → fires
    expect(fired).toEqual([8]);
    expect(() => countInWindow({ threshold: 0.5, count: 3, window: 2 })).toThrow(/window/);
    expect(() => countInWindow({ threshold: 0.5, count: 0, window: 2 })).toThrow(/count/);
  });

  it('countInWindow with windowMs uses event times', async () => {
    const c = clock();
    const m = new AlertManager({ rules: [countInWindow({ threshold: 0.5, count: 2, windowMs: 1000 })], sinks: [], now: c.now, dedupMs: 0 });
    expect((await m.process({ score: 0.9 })).length).toBe(0);
    c.advance(1500);
    expect((await m.process({ score: 0.9 })).length).toBe(0);
    c.advance(500);
    expect((await m.process({ score: 0.9 })).length).toBe(1);
  });

  it('driftRule fires on a { drift: true } verdict', async () => {
    const m = new AlertManager({ rules: [driftRule({ severity: 'critical' })], sinks: [] });
    const report = { drift: true, column: 'income', statistic: 0.4 };
    expect((await m.process({ ...report, key: report.column }))[0]?.severity).toBe('critical');
    expect((await m.process({ drift: false, key: 'age' })).length).toBe(0);
  });
});

describe('de-duplication and cool-down', () => {
  it('suppresses repeats per rule and key during the cool-down and counts them', async () => {
    const c = clock();
    const seen: Alert[] = [];
    const m = new AlertManager({ rules: [scoreAbove(1)], sinks: [callbackSink((a) => seen.push(a))], cooldownMs: 60_000, now: c.now });
    await m.process({ row: 1, score: 5, key: 'card-1' });
    await m.process({ row: 2, score: 5, key: 'card-1' }); // cooling down
    await m.process({ row: 3, score: 5, key: 'card-2' }); // other key
    c.advance(61_000);
    await m.process({ row: 4, score: 5, key: 'card-1' });
    await m.flush();
    expect(seen.map((a) => [a.key, a.rows[0]?.row, a.suppressed])).toEqual([
      ['card-1', 1, 0],
      ['card-2', 3, 0],
      ['card-1', 4, 1],
    ]);
    expect(m.suppressedTotal).toBe(1);
  });
  it('drops an identical alert (same rule, key, rows) inside dedupMs', async () => {
    const c = clock();
    const m = new AlertManager({ rules: [scoreAbove(1)], sinks: [], dedupMs: 10_000, now: c.now });
    expect((await m.process({ row: 7, score: 3 })).length).toBe(1);
    expect((await m.process({ row: 7, score: 3 })).length).toBe(0);
    c.advance(11_000);
    expect((await m.process({ row: 7, score: 3 })).length).toBe(1);
  });
  it('refuses bad options', () => {
    expect(() => new AlertManager({ rules: [], sinks: [] })).toThrow(/rule/);
    expect(() => new AlertManager({ rules: [scoreAbove(1)], sinks: [], cooldownMs: -1 })).toThrow(/cooldownMs/);
    expect(() => scoreAbove(Number.NaN)).toThrow(/threshold/);
  });
});

describe('sinks', () => {
  it('console sink maps severity to the logger method', async () => {
    const lines: string[] = [];
    const logger = { warn: (s: string) => lines.push(`W ${s}`), error: (s: string) => lines.push(`E ${s}`), info: (s: string) => lines.push(`I ${s}`) };
    const m = new AlertManager({ rules: [scoreAbove(1, { severity: 'critical' }), scoreAbove(0.5, { severity: 'info' })], sinks: [consoleSink(logger)] });
    await m.process({ row: 0, score: 2 });
    await m.flush();
    expect(lines.length).toBe(2);
    expect(lines[0]).toMatch(/^E \[tessera alert\] critical/);
    expect(lines[1]).toMatch(/^I /);
  });

  it('a throwing sink is reported, never thrown into the loop', async () => {
    const errors: string[] = [];
    const m = new AlertManager({
      rules: [scoreAbove(0)],
      sinks: [
        callbackSink(() => {
          throw new Error('boom');
        }),
      ],
      onSinkError: (f) => errors.push(f.error.message),
    });
    await expect(m.process({ score: 1 })).resolves.toHaveLength(1);
    await expect(m.flush()).resolves.toBeUndefined();
    expect(errors).toEqual(['boom']);
    expect(m.failures.length).toBe(1);
  });

  it('webhook: retries 5xx with backoff, stops on 4xx, reports the failure (fake fetch)', async () => {
    const calls: number[] = [];
    const fake500 = (async () => {
      calls.push(500);
      return new Response('no', { status: 500 });
    }) as typeof fetch;
    const alert = (await new AlertManager({ rules: [scoreAbove(0)], sinks: [] }).process({ row: 1, score: 2 }))[0] as Alert;
    const r = await postAlert(alert, { url: 'http://127.0.0.1:9/hook', retries: 2, backoffMs: 1, fetch: fake500 });
    expect(r).toEqual({ ok: false, attempts: 3, status: 500, error: 'HTTP 500' });
    const fake400 = (async () => new Response('bad', { status: 400 })) as typeof fetch;
    expect((await postAlert(alert, { url: 'http://127.0.0.1:9/hook', retries: 5, backoffMs: 1, fetch: fake400 })).attempts).toBe(1);
    const hang = ((_u: string, init?: RequestInit) =>
      new Promise<Response>((_res, rej) => {
        init?.signal?.addEventListener('abort', () => rej(new Error('aborted')));
      })) as typeof fetch;
    const t = await postAlert(alert, { url: 'http://127.0.0.1:9/hook', retries: 1, backoffMs: 1, timeoutMs: 20, fetch: hang });
    expect(t.ok).toBe(false);
    expect(t.attempts).toBe(2);
    expect(t.error).toMatch(/timed out/);
  });

  it('webhook options are validated', () => {
    for (const bad of [{ url: 'not a url' }, { url: 'ftp://x/y' }, { url: 'http://x/', retries: 99 }, { url: 'http://x/', timeoutMs: 0 }]) {
      try {
        webhookSink(bad);
        throw new Error('expected E_OPTION');
      } catch (e) {
        expect(isTesseraError(e, 'E_OPTION')).toBe(true);
      }
    }
  });
});
