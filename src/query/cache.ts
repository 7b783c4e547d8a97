/** A map-like store: `Map`, or `WeakMap` for object keys. */
interface Store<K, V> {
  has(key: K): boolean;
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/**
 * The value cached for (`owner`, `key`), computed by `compute` the first time. `cache` holds one
 * inner store per owner (a Dataset or schema index, held weakly so that dropping it frees its
 * entries); `inner` makes that store. @internal
 *
 * @example
 * ```ts
 * const shapes = new WeakMap<object, Map<string, number>>();
 * cachedFor(shapes, index, 'age', () => new Map(), () => 42); // 42, computed once per index and column
 * ```
 */
export function cachedFor<O extends object, K, V>(cache: WeakMap<O, Store<K, V>>, owner: O, key: K, inner: () => Store<K, V>, compute: () => V): V {
  let store = cache.get(owner);
  if (!store) {
    store = inner();
    cache.set(owner, store);
  }
  if (store.has(key)) return store.get(key) as V;
  const value = compute();
  store.set(key, value);
  return value;
}
