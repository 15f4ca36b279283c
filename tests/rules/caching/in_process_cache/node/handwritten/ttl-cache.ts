// a hand-written TTL cache around a Map: the same per-process cache as lru-cache
export class TtlCache<V> {
  private store = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  get(key: string): V | undefined {
    const hit = this.store.get(key);
    if (!hit || hit.expiresAt < Date.now()) return undefined;
    return hit.value;
  }

  set(key: string, value: V): void {
    this.store.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }
}

// used by catalog.ts for query results
// ruleid: SC-CACHE-002
export const productCache = new TtlCache<unknown>(60_000);
// holds rendered strings only: memoising pure work
// ok: SC-CACHE-002
export const labelCache = new TtlCache<string>(60_000);

// a class keeping a private Map with no cache API (a registry)
export class Registry {
  private items = new Map<string, () => void>();
  register(name: string, fn: () => void) {
    this.items.set(name, fn);
  }
  run(name: string) {
    this.items.get(name)?.();
  }
}
// ok: SC-CACHE-002
export const registry = new Registry();
