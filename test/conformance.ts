/**
 * The shared conformance suite (see DESIGN.md): every primitive runs it from its own test file.
 *
 *   conformance({ name: 'StandardScaler', make: (o) => new StandardScaler(o), data: () => ds, badOptions: [{ withMean: 3 }] });
 *
 * It checks what the capability tags promise: determinism under a seed, untouched input, a JSON
 * round trip giving identical outputs, typed errors for bad options, empty and one-row datasets,
 * the NaN policy, abort, columns missing at inference time, and (for tensor-backed primitives) no
 * leaked tensors.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset, Estimator, Fitted, ModelFitOptions } from '../src/index.js';
import { isTesseraError, load, type TesseraError } from '../src/index.js';

type Fittable = Estimator & { fit(ds: Dataset, options?: ModelFitOptions): Promise<Fitted> };

export interface ConformanceSpec<E extends Fittable> {
  /** Test-suite title. */
  name: string;
  /** Builds the primitive from options (merged over `baseOptions`). */
  make: (options?: Record<string, unknown>) => E;
  /** Options always passed (e.g. small sizes for speed). */
  baseOptions?: Record<string, unknown>;
  /** A small valid training Dataset. */
  data: () => Dataset;
  /** Options for `fit` (e.g. `{ target: 'y' }`). */
  fitOptions?: ModelFitOptions;
  /** Options that must each be refused with `E_OPTION` at construction. At least one. */
  badOptions: Record<string, unknown>[];
  /** The output compared across runs; default: transform → columns, model → predict, detector → score. */
  output?: (fitted: Awaited<ReturnType<E['fit']>>, ds: Dataset) => unknown;
  /** A Dataset like `data()` but with missing values in the input columns. */
  withMissing?: () => Dataset;
  /** Expected behaviour on one row: `fit` (must succeed) or `error` (must throw a TesseraError). Default: either, but only TesseraError. */
  oneRow?: 'fit' | 'error';
  /** Number of live tensors (tensor-backed primitives), to check fit/inference leak none. */
  tensorCount?: () => number;
}

function defaultOutput(fitted: Fitted, ds: Dataset): unknown {
  switch (fitted.kind) {
    case 'transform':
      return snapshot(fitted.transform(ds));
    case 'model': {
      const p = fitted.predict(ds);
      return Array.from(p as ArrayLike<unknown>);
    }
    case 'detector':
      return { score: Array.from(fitted.score(ds)), predict: fitted.predict(ds) };
  }
}

/** A deep, comparable copy of a Dataset's storage. */
export function snapshot(ds: Dataset): unknown {
  return ds.columns().map((c) => {
    switch (c.kind) {
      case 'category':
        return { name: c.name, kind: c.kind, codes: Array.from(c.codes), dict: [...c.dictionary] };
      case 'text':
        return { name: c.name, kind: c.kind, values: [...c.values] };
      default:
        return { name: c.name, kind: c.kind, values: Array.from(c.values as ArrayLike<number>) };
    }
  });
}

async function expectTesseraError(p: Promise<unknown> | (() => unknown), code?: string): Promise<TesseraError> {
  try {
    if (typeof p === 'function') await p();
    else await p;
  } catch (e) {
    if (!isTesseraError(e)) throw new Error(`expected a TesseraError, got ${String(e)}`, { cause: e });
    if (code !== undefined) expect(e.code).toBe(code);
    return e;
  }
  throw new Error(`expected a TesseraError${code ? ` ${code}` : ''}, but nothing was thrown`);
}

export function conformance<E extends Fittable>(spec: ConformanceSpec<E>): void {
  const make = (o: Record<string, unknown> = {}): E => spec.make({ ...(spec.baseOptions ?? {}), ...o });
  const out = (f: Fitted, ds: Dataset): unknown => (spec.output ? spec.output(f as Awaited<ReturnType<E['fit']>>, ds) : defaultOutput(f, ds));

  describe(`conformance: ${spec.name}`, () => {
    it('declares kind, type, tags and params', () => {
      const e = make();
      expect(['transform', 'model', 'detector']).toContain(e.kind);
      expect(typeof e.type).toBe('string');
      for (const k of ['allowMissing', 'categorical', 'incremental', 'sampleWeight', 'stochastic', 'supervised'] as const) {
        expect(typeof e.tags[k]).toBe('boolean');
      }
      expect(typeof e.params).toBe('object');
    });

    it('refuses bad options with E_OPTION naming the option', async () => {
      expect(spec.badOptions.length).toBeGreaterThan(0);
      for (const bad of spec.badOptions) {
        const err = await expectTesseraError(() => make(bad), 'E_OPTION');
        expect(err.message.length).toBeGreaterThan(0);
        expect(err.details.option).toBeDefined();
      }
      await expectTesseraError(() => make({ notAnOption__: 1 }), 'E_OPTION');
    });

    it('is deterministic under a seed and does not mutate its input', async () => {
      const ds = spec.data();
      const before = snapshot(ds);
      const seedOpt = make().tags.stochastic ? { seed: 7 } : {};
      const f1 = await make(seedOpt).fit(ds, spec.fitOptions);
      const o1 = out(f1, ds);
      const f2 = await make(seedOpt).fit(ds, spec.fitOptions);
      expect(out(f2, ds)).toEqual(o1);
      expect(snapshot(ds)).toEqual(before);
      expect(f1.kind).toBe(make().kind);
    });

    it('round trips through JSON with identical output', async () => {
      const ds = spec.data();
      const fitted = await make(make().tags.stochastic ? { seed: 3 } : {}).fit(ds, spec.fitOptions);
      const json = JSON.parse(JSON.stringify(fitted.toJSON()));
      expect(typeof json.type).toBe('string');
      expect(typeof json.version).toBe('number');
      const again = load<Fitted>(json);
      expect(out(again, ds)).toEqual(out(fitted, ds));
      expect(JSON.parse(JSON.stringify(again.toJSON()))).toEqual(json);
      await expectTesseraError(() => load({ ...json, version: 999 }), 'E_SERIALIZATION');
    });

    it('refuses an empty dataset with a TesseraError', async () => {
      await expectTesseraError(make().fit(spec.data().slice(0, 0), spec.fitOptions));
    });

    it('handles one row by fitting or by a TesseraError', async () => {
      const one = spec.data().slice(0, 1);
      try {
        await make().fit(one, spec.fitOptions);
        if (spec.oneRow === 'error') throw new Error('expected one row to be refused');
      } catch (e) {
        if (spec.oneRow === 'fit' || !isTesseraError(e)) throw e;
      }
    });

    it('follows its NaN policy', async () => {
      if (!spec.withMissing) return;
      const ds = spec.withMissing();
      if (make().tags.allowMissing) {
        const fitted = await make().fit(ds, spec.fitOptions);
        out(fitted, ds);
      } else {
        const err = await expectTesseraError(make().fit(ds, spec.fitOptions), 'E_MISSING_VALUES');
        expect(err.message).toMatch(/"/);
      }
    });

    it('rejects an aborted fit with E_ABORTED', async () => {
      const ac = new AbortController();
      ac.abort();
      await expectTesseraError(make().fit(spec.data(), { ...(spec.fitOptions ?? {}), signal: ac.signal }), 'E_ABORTED');
    });

    it('names fitted columns missing at inference time', async () => {
      const ds = spec.data();
      const fitted = await make().fit(ds, spec.fitOptions);
      const first = fitted.inputColumns[0];
      if (first === undefined) return;
      const err = await expectTesseraError(() => out(fitted, ds.drop([first])), 'E_NOT_FITTED_COLUMNS');
      expect(err.message).toContain(first);
    });

    if (spec.tensorCount) {
      it('leaks no tensors', async () => {
        const count = spec.tensorCount as () => number;
        const ds = spec.data();
        const before = count();
        const fitted = await make().fit(ds, spec.fitOptions);
        out(fitted, ds);
        const json = fitted.toJSON();
        const mid = count();
        expect(mid - before).toBeLessThanOrEqual(64); // weights held by the fitted model
        const again = load<Fitted & { dispose?: () => void }>(JSON.parse(JSON.stringify(json)));
        out(again, ds);
        (fitted as Fitted & { dispose?: () => void }).dispose?.();
        again.dispose?.();
        expect(count()).toBe(before);
      });
    }
  });
}
