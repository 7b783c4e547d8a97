import type { ColumnKind } from './column.js';
import type { FieldOverride } from './schema.js';

interface ZodLike {
  _zod?: { def?: ZodDef };
}
interface ZodDef {
  type?: string;
  innerType?: ZodLike;
  shape?: Record<string, ZodLike>;
  checks?: Array<{ _zod?: { def?: { check?: string; format?: string } } }>;
  format?: string;
}

/**
 * Whether a value looks like a zod object schema (zod 4).
 *
 * @example
 * ```ts
 * isZodObject(z.object({ a: z.number() })); // true
 * ```
 */
export function isZodObject(v: unknown): v is ZodLike {
  const def = (v as ZodLike | null)?._zod?.def;
  return def !== undefined && def.type === 'object' && typeof def.shape === 'object';
}

/**
 * Maps a zod object schema to per-column overrides: `z.number()` → number (`.int()` → integer),
 * `z.boolean()` → boolean, `z.date()` → datetime, `z.enum()` → category, `z.string()` → text,
 * `z.string().datetime()`/`z.iso.datetime()` → datetime; `.nullable()`/`.optional()` → nullable.
 * Unknown zod types leave the kind to inference.
 *
 * @example
 * ```ts
 * zodToOverrides(z.object({ age: z.number().int(), region: z.enum(['n', 's']) }));
 * // { age: { kind: 'integer', nullable: false }, region: { kind: 'category', nullable: false } }
 * ```
 */
export function zodToOverrides(schema: ZodLike): Record<string, FieldOverride> {
  const out: Record<string, FieldOverride> = Object.create(null);
  const shape = schema._zod?.def?.shape ?? {};
  for (const name of Object.keys(shape)) {
    let node = shape[name];
    let nullable = false;
    for (let depth = 0; depth < 8 && node; depth++) {
      const t = node._zod?.def?.type;
      if (t === 'nullable' || t === 'optional' || t === 'default' || t === 'readonly') {
        nullable = nullable || t !== 'readonly';
        node = node._zod?.def?.innerType;
      } else break;
    }
    const def = node?._zod?.def;
    const kind = kindOf(def);
    const o: FieldOverride = { nullable };
    if (kind) o.kind = kind;
    Object.defineProperty(out, name, { value: o, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function kindOf(def: ZodDef | undefined): ColumnKind | undefined {
  switch (def?.type) {
    case 'number': {
      const isInt = def.format === 'safeint' || def.format === 'int32' || (def.checks ?? []).some((c) => c._zod?.def?.format === 'safeint');
      return isInt ? 'integer' : 'number';
    }
    case 'int':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'datetime';
    case 'enum':
    case 'literal':
      return 'category';
    case 'string':
      return def.format === 'datetime' || def.format === 'date' ? 'datetime' : 'text';
    default:
      return undefined;
  }
}
