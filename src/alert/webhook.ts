import { TesseraError } from '../core/errors.js';
import type { Alert, AlertSink } from './alerts.js';

/**
 * The JSON body a webhook receives (HTTP POST, `content-type: application/json`):
 *
 * ```json
 * { "type": "tessera.alert", "version": 1,
 *   "alert": { "id": "...", "rule": "score>0.7", "severity": "warning", "time": "2026-01-01T00:00:00.000Z",
 *              "key": "*", "message": "...", "rows": [{ "row": 42, "record": {}, "score": 0.81, "explanation": {} }],
 *              "scores": [0.81], "suppressed": 0 } }
 * ```
 *
 * Non-finite scores become `null` (JSON has no NaN).
 *
 * @example
 * ```ts
 * const body: WebhookPayload = { type: 'tessera.alert', version: 1, alert };
 * ```
 */
export interface WebhookPayload {
  type: 'tessera.alert';
  version: 1;
  alert: Alert;
}

/**
 * Options of {@link webhookSink}.
 *
 * @example
 * ```ts
 * const o: WebhookOptions = { url: 'https://hooks.example.com/x', timeoutMs: 3000, retries: 2 };
 * ```
 */
export interface WebhookOptions {
  url: string;
  /** Per-attempt timeout (AbortController). Default 5,000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx (not on other 4xx). Default 3, at most 10. */
  retries?: number;
  /** Backoff before retry k (0-based): `backoffMs · 2^k`, capped at 30 s. Default 250 ms. */
  backoffMs?: number;
  /** Extra request headers (e.g. authorization). */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global `fetch`). */
  fetch?: typeof fetch;
}

/**
 * What one delivery did.
 *
 * @example
 * ```ts
 * const r: WebhookResult = await postAlert(alert, { url });
 * if (!r.ok) console.log(r.attempts, r.error);
 * ```
 */
export interface WebhookResult {
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

function checkOptions(o: WebhookOptions): void {
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    throw new TesseraError('E_OPTION', `webhook option "url" is not a valid URL: ${String(o.url)}`, { option: 'url' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new TesseraError('E_OPTION', `webhook option "url" must be http(s), got ${u.protocol}`, { option: 'url' });
  const num = (v: number | undefined, name: string, min: number, max: number): void => {
    if (v !== undefined && !(Number.isFinite(v) && v >= min && v <= max))
      throw new TesseraError('E_OPTION', `webhook option "${name}" must be in [${min}, ${max}], got ${v}`, { option: name });
  };
  num(o.timeoutMs, 'timeoutMs', 1, 600_000);
  num(o.retries, 'retries', 0, 10);
  num(o.backoffMs, 'backoffMs', 0, 60_000);
}

/**
 * POSTs one alert as a {@link WebhookPayload}, with a per-attempt timeout and bounded retries with
 * exponential backoff. Never throws for delivery problems: the result says what happened.
 *
 * @example
 * ```ts
 * import { postAlert } from 'tessera';
 * const r = await postAlert(alert, { url: 'http://127.0.0.1:8080/hook', retries: 2 });
 * ```
 */
export async function postAlert(alert: Alert, options: WebhookOptions): Promise<WebhookResult> {
  checkOptions(options);
  const f = options.fetch ?? globalThis.fetch;
  const retries = options.retries ?? 3;
  const body = JSON.stringify({ type: 'tessera.alert', version: 1, alert } satisfies WebhookPayload, (_k, v) =>
    typeof v === 'number' && !Number.isFinite(v) ? null : v,
  );
  let last: WebhookResult = { ok: false, attempts: 0 };
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(30_000, (options.backoffMs ?? 250) * 2 ** (attempt - 1))));
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), options.timeoutMs ?? 5000);
    try {
      const res = await f(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
        body,
        signal: ac.signal,
      });
      // drain the body so the connection is released
      await res.text().catch(() => '');
      if (res.ok) return { ok: true, attempts: attempt + 1, status: res.status };
      last = { ok: false, attempts: attempt + 1, status: res.status, error: `HTTP ${res.status}` };
      if (res.status !== 429 && res.status < 500) return last; // a client error will not heal by retrying
    } catch (e) {
      const aborted = ac.signal.aborted;
      last = { ok: false, attempts: attempt + 1, error: aborted ? `timed out after ${options.timeoutMs ?? 5000} ms` : String((e as Error)?.message ?? e) };
    } finally {
      clearTimeout(timer);
    }
  }
  return last;
}

/**
 * A sink that POSTs each alert to a webhook ({@link postAlert}); when every attempt fails it throws
 * a `TesseraError` `E_NETWORK`, which {@link AlertManager} catches and reports (never the caller's loop).
 *
 * @example
 * ```ts
 * import { AlertManager, scoreAbove, webhookSink } from 'tessera';
 * const m = new AlertManager({ rules: [scoreAbove(0.7)], sinks: [webhookSink({ url: 'https://hooks.example.com/x' })], onSinkError: (f) => console.warn(f.error.message) });
 * ```
 */
export function webhookSink(options: WebhookOptions): AlertSink {
  checkOptions(options);
  return {
    name: `webhook ${new URL(options.url).host}`,
    send: async (alert) => {
      const r = await postAlert(alert, options);
      if (!r.ok)
        throw new TesseraError('E_NETWORK', `webhook ${options.url} failed after ${r.attempts} attempt(s): ${r.error ?? 'unknown error'}`, {
          attempts: r.attempts,
          status: r.status,
        });
    },
  };
}
