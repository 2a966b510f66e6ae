/**
 * How many distinct keys a memory of the mock keeps before it starts afresh: route matches by path,
 * GET latencies by path, authentications by header value. Enough for every job of a large run; bounded
 * because a long-running server can be sent any number of distinct values.
 */
export const REMEMBERED = 65_536;

/**
 * A map for work the mock can always redo (a value that depends only on its key): past `capacity` keys
 * it forgets them all, which changes no answer and keeps memory bounded.
 */
export class BoundedMemory<K, V> {
  private readonly map = new Map<K, V>();
  private readonly capacity: number;

  /** @param capacity - keys kept before starting afresh. @defaultValue {@link REMEMBERED} */
  constructor(capacity = REMEMBERED) {
    this.capacity = capacity;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.capacity) this.map.clear();
    this.map.set(key, value);
  }
}
