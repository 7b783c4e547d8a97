import type { z } from 'zod';
import { TesseraError } from './errors.js';

/**
 * Validates a primitive's options with a zod schema and returns them with defaults filled in. A bad
 * option throws `E_OPTION` naming the option, the primitive and the allowed values or range.
 *
 * @example
 * ```ts
 * const Opts = z.object({ k: z.number().int().min(1).default(8) }).strict();
 * const params = parseOptions(Opts, { k: 0 }, 'KMeans'); // throws: KMeans option "k": ...
 * ```
 */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown, owner: string): z.output<S> {
  const r = schema.safeParse(options ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const name = path === '' ? '(options)' : path;
  let msg = issue?.message ?? 'invalid';
  if (issue?.code === 'unrecognized_keys') {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    msg = `unknown option${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`;
    throw new TesseraError('E_OPTION', `${owner}: ${msg}`, { option: keys[0] ?? name });
  }
  throw new TesseraError('E_OPTION', `${owner} option "${name}": ${msg}`, { option: name });
}
