import { TesseraError } from '../core/errors.js';

/**
 * One thing a detector said about one row (or a drift check's verdict), fed to an
 * {@link AlertManager}. Every field is optional; rules read the ones they need.
 *
 * @example
 * ```ts
 * const e: AlertEvent = { row: 42, score: 0.81, record: { amount: 9300 }, key: 'card-17' };
 * ```
 */
export interface AlertEvent {
  /** Row index (or stream position) of the record. */
  row?: number;
  /** The record itself (carried into the alert). */
  record?: unknown;
  /** Detector score (higher = more anomalous). */
  score?: number;
  /** The detector's explanation for this row (e.g. `fitted.explain(ds, row)`). */
  explanation?: unknown;
  /** Event time, epoch ms (default: the manager's clock). */
  time?: number;
  /** A drift check's verdict (any object with `drift: boolean`). */
  drift?: boolean;
  /** De-duplication key (e.g. a customer id); default: the rule alone. */
  key?: string;
}

/**
 * An alert: which rule fired, on which rows, with their scores and explanations.
 *
 * @example
 * ```ts
 * manager.process(event).then((alerts: Alert[]) => alerts.forEach((a) => console.log(a.message)));
 * ```
 */
export interface Alert {
  /** Unique id (rule, key, time and a counter). */
  readonly id: string;
  readonly rule: string;
  readonly severity: 'info' | 'warning' | 'critical';
  /** ISO time the alert fired. */
  readonly time: string;
  readonly key: string;
  readonly message: string;
  /** The rows behind the alert (the window's rows for a count rule). */
  readonly rows: readonly { row?: number | undefined; record?: unknown; score?: number | undefined; explanation?: unknown }[];
  /** Scores of those rows. */
  readonly scores: readonly number[];
  /** Alerts of this rule and key suppressed (de-duplicated or cooling down) since the previous one. */
  readonly suppressed: number;
}

/**
 * A rule: looks at each event (with the recent events of the same key) and says whether to alert.
 *
 * @example
 * ```ts
 * const r: AlertRule = scoreAbove(0.7);
 * ```
 */
export interface AlertRule {
  readonly name: string;
  readonly severity: 'info' | 'warning' | 'critical';
  /** Returns the events the alert is about, or null for no alert. `history` holds earlier events of the same key (newest last, bounded). */
  evaluate(event: AlertEvent, history: readonly AlertEvent[], now: number): AlertEvent[] | null;
  /** How many past events of a key the rule needs (default 0). */
  readonly historySize?: number;
  /** Message for an alert. */
  describe(events: readonly AlertEvent[]): string;
}

function checkNumber(v: number, name: string, min: number, owner: string): void {
  if (!Number.isFinite(v) || v < min) throw new TesseraError('E_OPTION', `${owner} option "${name}" must be a number >= ${min}, got ${v}`, { option: name });
}

/**
 * Fires when an event's score is above `threshold`.
 *
 * @example
 * ```ts
 * import { scoreAbove } from 'tessera';
 * const rule = scoreAbove(0.7, { severity: 'critical' });
 * ```
 */
export function scoreAbove(threshold: number, options: { severity?: Alert['severity']; name?: string } = {}): AlertRule {
  if (!Number.isFinite(threshold))
    throw new TesseraError('E_OPTION', `scoreAbove option "threshold" must be a finite number, got ${threshold}`, { option: 'threshold' });
  return {
    name: options.name ?? `score>${threshold}`,
    severity: options.severity ?? 'warning',
    evaluate: (e) => (typeof e.score === 'number' && e.score > threshold ? [e] : null),
    describe: (ev) => {
      const e = ev[0] as AlertEvent;
      return `score ${(e.score as number).toPrecision(4)} above ${threshold}${e.row !== undefined ? ` at row ${e.row}` : ''}`;
    },
  };
}

/**
 * Fires when at least `count` events scored above `threshold` among the last `window` events of a
 * key (this one included), or, with `windowMs`, within the last `windowMs` milliseconds.
 *
 * @example
 * ```ts
 * import { countInWindow } from 'tessera';
 * const rule = countInWindow({ threshold: 0.6, count: 3, window: 10 }); // 3 anomalies in 10 points
 * ```
 */
export function countInWindow(options: {
  threshold: number;
  count: number;
  window?: number;
  windowMs?: number;
  severity?: Alert['severity'];
  name?: string;
}): AlertRule {
  const owner = 'countInWindow';
  checkNumber(options.count, 'count', 1, owner);
  if (options.window === undefined && options.windowMs === undefined)
    throw new TesseraError('E_OPTION', `${owner} needs option "window" (events) or "windowMs"`, { option: 'window' });
  if (options.window !== undefined) checkNumber(options.window, 'window', options.count, owner);
  if (options.windowMs !== undefined) checkNumber(options.windowMs, 'windowMs', 1, owner);
  const win = options.window ?? 10_000;
  return {
    name:
      options.name ?? `${options.count} above ${options.threshold} in ${options.window !== undefined ? `${options.window} events` : `${options.windowMs} ms`}`,
    severity: options.severity ?? 'warning',
    historySize: win - 1,
    evaluate: (e, history, now) => {
      if (!(typeof e.score === 'number' && e.score > options.threshold)) return null;
      const recent = [...history.slice(-(win - 1)), e].filter((h) => {
        if (!(typeof h.score === 'number' && h.score > options.threshold)) return false;
        return options.windowMs === undefined || now - (h.time ?? now) <= (options.windowMs as number);
      });
      return recent.length >= options.count ? recent : null;
    },
    describe: (ev) => `${ev.length} anomalies (score > ${options.threshold}) in the window`,
  };
}

/**
 * Fires on a drift verdict: an event with `drift: true` (e.g. `{ drift: true, ... }` from a data
 * drift check, spread into the event).
 *
 * @example
 * ```ts
 * import { driftRule } from 'tessera';
 * await manager.process({ ...driftReport, key: 'income' }); // driftReport has drift: boolean
 * ```
 */
export function driftRule(options: { severity?: Alert['severity']; name?: string } = {}): AlertRule {
  return {
    name: options.name ?? 'drift',
    severity: options.severity ?? 'warning',
    evaluate: (e) => (e.drift === true ? [e] : null),
    describe: () => 'drift detected',
  };
}

/**
 * A sink delivers alerts. It may be async; a sink's failure is caught by the manager and reported
 * (`onSinkError`, `failures`), never thrown into the caller's loop.
 *
 * @example
 * ```ts
 * const sink: AlertSink = { name: 'mine', send: async (a) => console.log(a.id) };
 * ```
 */
export interface AlertSink {
  readonly name: string;
  send(alert: Alert): Promise<void> | void;
}

/**
 * A sink that calls a function.
 *
 * @example
 * ```ts
 * import { callbackSink } from 'tessera';
 * const seen: Alert[] = [];
 * const sink = callbackSink((a) => seen.push(a));
 * ```
 */
export function callbackSink(fn: (alert: Alert) => unknown): AlertSink {
  return {
    name: 'callback',
    send: async (a) => {
      await fn(a);
    },
  };
}

/**
 * A sink that writes one line per alert to the console (or any `{ warn, error, info }` logger):
 * critical → `error`, warning → `warn`, info → `info`.
 *
 * @example
 * ```ts
 * import { consoleSink } from 'tessera';
 * const sink = consoleSink();
 * ```
 */
export function consoleSink(logger: Pick<Console, 'warn' | 'error' | 'info'> = console): AlertSink {
  return {
    name: 'console',
    send: (a) => {
      const line = `[tessera alert] ${a.severity} ${a.rule} (${a.key}): ${a.message}`;
      if (a.severity === 'critical') logger.error(line);
      else if (a.severity === 'warning') logger.warn(line);
      else logger.info(line);
    },
  };
}

/**
 * Options of {@link AlertManager}.
 *
 * @example
 * ```ts
 * const o: AlertManagerOptions = { rules: [scoreAbove(0.7)], sinks: [consoleSink()], cooldownMs: 60_000 };
 * ```
 */
export interface AlertManagerOptions {
  rules: readonly AlertRule[];
  sinks: readonly AlertSink[];
  /** After an alert of a rule and key, further ones are suppressed for this long. Default 0 (none). */
  cooldownMs?: number;
  /** Identical alerts (same rule, key and rows) within this long are dropped as duplicates. Default 60,000. */
  dedupMs?: number;
  /** Clock (epoch ms); default `Date.now`. */
  now?: () => number;
  /** Called when a sink fails (after its own retries). */
  onSinkError?: (failure: SinkFailure) => void;
}

/**
 * A failed delivery, as reported by {@link AlertManager}.
 *
 * @example
 * ```ts
 * manager.failures.forEach((f: SinkFailure) => console.log(f.sink, f.alert.id, f.error.message));
 * ```
 */
export interface SinkFailure {
  sink: string;
  alert: Alert;
  error: Error;
}

/**
 * Evaluates rules over detector events, de-duplicates, applies a cool-down per rule and key, and
 * delivers alerts to sinks. `process(event)` returns the alerts fired (synchronously decided;
 * deliveries run in the background: `flush()` awaits them). Sink failures are caught, kept in
 * `failures` (last 100) and passed to `onSinkError`; they never reject `process` or `flush`.
 *
 * @example
 * ```ts
 * import { AlertManager, scoreAbove, callbackSink } from 'tessera';
 * const m = new AlertManager({ rules: [scoreAbove(0.7)], sinks: [callbackSink(console.log)], cooldownMs: 60_000 });
 * for (const [i, s] of scores.entries()) await m.process({ row: i, score: s, explanation: fitted.explain(ds, i) });
 * await m.flush();
 * ```
 */
export class AlertManager {
  /** Recent sink failures (at most 100). */
  readonly failures: SinkFailure[] = [];
  /** Alerts fired so far. */
  fired = 0;
  /** Alerts suppressed by de-duplication or cool-down so far. */
  suppressedTotal = 0;
  private readonly opts: AlertManagerOptions;
  private readonly history = new Map<string, AlertEvent[]>();
  private readonly lastFired = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();
  private readonly recent = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();
  private counter = 0;

  constructor(options: AlertManagerOptions) {
    if (!options || !Array.isArray(options.rules) || options.rules.length === 0)
      throw new TesseraError('E_OPTION', 'AlertManager needs at least one rule (option "rules")', { option: 'rules' });
    if (!Array.isArray(options.sinks)) throw new TesseraError('E_OPTION', 'AlertManager option "sinks" must be an array', { option: 'sinks' });
    if (options.cooldownMs !== undefined) checkNumber(options.cooldownMs, 'cooldownMs', 0, 'AlertManager');
    if (options.dedupMs !== undefined) checkNumber(options.dedupMs, 'dedupMs', 0, 'AlertManager');
    this.opts = options;
  }

  /** Evaluates every rule on one event; returns the alerts that fired (and starts their delivery). */
  async process(event: AlertEvent): Promise<Alert[]> {
    const now = this.opts.now?.() ?? Date.now();
    const ev: AlertEvent = event.time === undefined ? { ...event, time: now } : event;
    const key = ev.key ?? '*';
    const out: Alert[] = [];
    for (const rule of this.opts.rules) {
      const hk = `${rule.name}\u0000${key}`;
      const hist = this.history.get(hk) ?? [];
      const hit = rule.evaluate(ev, hist, now);
      const size = rule.historySize ?? 0;
      if (size > 0) {
        hist.push(ev);
        if (hist.length > size) hist.splice(0, hist.length - size);
        this.history.set(hk, hist);
      }
      if (!hit) continue;
      const rowsKey = `${hk}\u0000${hit.map((h) => h.row ?? '').join(',')}`;
      const last = this.lastFired.get(hk);
      const cooling = last !== undefined && now - last < (this.opts.cooldownMs ?? 0);
      const seen = this.recent.get(rowsKey);
      const duplicate = seen !== undefined && now - seen < (this.opts.dedupMs ?? 60_000);
      if (cooling || duplicate) {
        this.suppressed.set(hk, (this.suppressed.get(hk) ?? 0) + 1);
        this.suppressedTotal++;
        continue;
      }
      this.recent.set(rowsKey, now);
      if (this.recent.size > 10_000) this.recent.delete(this.recent.keys().next().value as string);
      this.lastFired.set(hk, now);
      const alert: Alert = {
        id: `${rule.name}|${key}|${now}|${this.counter++}`,
        rule: rule.name,
        severity: rule.severity,
        time: new Date(now).toISOString(),
        key,
        message: rule.describe(hit),
        rows: hit.map((h) => ({ row: h.row, record: h.record, score: h.score, explanation: h.explanation })),
        scores: hit.map((h) => h.score ?? Number.NaN),
        suppressed: this.suppressed.get(hk) ?? 0,
      };
      this.suppressed.set(hk, 0);
      this.fired++;
      out.push(alert);
      for (const sink of this.opts.sinks) this.deliver(sink, alert);
    }
    return out;
  }

  private deliver(sink: AlertSink, alert: Alert): void {
    const p = (async () => {
      try {
        await sink.send(alert);
      } catch (e) {
        const failure: SinkFailure = { sink: sink.name, alert, error: e instanceof Error ? e : new Error(String(e)) };
        this.failures.push(failure);
        if (this.failures.length > 100) this.failures.shift();
        try {
          this.opts.onSinkError?.(failure);
        } catch {
          // a failing error handler must not break the caller's loop either
        }
      }
    })();
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Waits for every delivery started so far (never rejects). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
