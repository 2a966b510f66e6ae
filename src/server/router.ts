import { REMEMBERED } from './bounded-memory.ts';

/** What a router matches: a method and an msw-style path pattern (`/threads/:thread_id`). */
export interface Routable {
  readonly method: string;
  readonly path: string;
}

/** The result of matching a method and path against the route table. */
export type RouteMatch<R extends Routable = Routable> =
  | { readonly kind: 'found'; readonly route: R; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'wrong-method' }
  | { readonly kind: 'not-found' };

interface Compiled<R> {
  readonly route: R;
  readonly segments: readonly string[];
}

/** Matches `/threads/abc/runs/def` against msw-style patterns, indexed by segment count. */
export class Router<R extends Routable> {
  private readonly bySize = new Map<number, Compiled<R>[]>();
  /** Matches by method, then path. */
  private readonly remembered = new Map<string, Map<string, RouteMatch<R>>>();
  private rememberedCount = 0;

  constructor(routes: readonly R[]) {
    for (const route of routes) {
      const segments = route.path.split('/').slice(1);
      const list = this.bySize.get(segments.length) ?? [];
      list.push({ route, segments });
      this.bySize.set(segments.length, list);
    }
  }

  /**
   * Matches `method` and `path`. Polls ask for the same few paths over and over, so matches are
   * remembered per path, up to {@link REMEMBERED} paths (then the memory starts afresh: a client sending
   * random paths cannot grow it without bound). A match's `params` are shared between calls.
   */
  match(method: string, path: string): RouteMatch<R> {
    let byPath = this.remembered.get(method);
    const known = byPath?.get(path);
    if (known !== undefined) return known;
    if (this.rememberedCount >= REMEMBERED) {
      this.remembered.clear();
      this.rememberedCount = 0;
      byPath = undefined;
    }
    if (byPath === undefined) {
      byPath = new Map();
      this.remembered.set(method, byPath);
    }
    const match = this.matchAnew(method, path);
    byPath.set(path, match);
    this.rememberedCount++;
    return match;
  }

  private matchAnew(method: string, path: string): RouteMatch<R> {
    const parts = path.split('/').slice(1);
    const candidates = this.bySize.get(parts.length);
    let pathMatched = false;
    if (candidates === undefined) return { kind: 'not-found' };
    for (const { route, segments } of candidates) {
      const params = matchSegments(segments, parts);
      if (params === undefined) continue;
      if (route.method === method) return { kind: 'found', route, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: 'wrong-method' } : { kind: 'not-found' };
  }
}

function matchSegments(
  pattern: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    const actual = parts[i] as string;
    if (expected.startsWith(':')) {
      if (actual.length === 0) return undefined;
      params[expected.slice(1)] = decodeSegment(actual);
    } else if (expected !== actual) return undefined;
  }
  return params;
}

/**
 * A path segment's text. A malformed escape (`%zz`) is kept as sent: it names no object, so the route
 * answers its own 404, where `decodeURIComponent` would throw and the request would end in a 500.
 */
function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
