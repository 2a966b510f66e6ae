import { randomInt } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The randomness port: a seeded source split into named, independent streams.
 *
 * Streams are derived from (root seed, name) by hashing, not by creation order, so adding a client or a
 * job never shifts the numbers another stream draws. That gives common random numbers: the same seed
 * yields the same job durations whatever the pollers do. Built on pure-rand's xoroshiro128+ (the PRNG
 * fast-check uses) rather than a hand-written generator.
 */
export interface Random {
  /** A uniform draw in [0, 1). */
  next(): number;
  /** An independent stream named `name` under this one (e.g. `server`, then `latency:run:3`). */
  stream(name: string): Random;
}

/** 32-bit FNV-1a: cheap and stable across platforms, enough to mix a stream name into a seed. */
function fnv1a(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Creates the root random source for `seed`.
 * @param seed - any integer; the same seed gives the same draws in every stream.
 */
export function createRandom(seed: number): Random {
  return fromHash(seed, fnv1a('root', fnv1a(String(seed))));
}

/** A stream's hash chains from its parent's, so deriving one costs a hash of its own name only. */
function fromHash(seed: number, hash: number): Random {
  const rng = xoroshiro128plus((hash ^ (seed | 0)) | 0);
  return {
    next: () => uniformFloat64(rng),
    stream: (name) => fromHash(seed, fnv1a(`/${name}`, hash)),
  };
}

/**
 * A seed drawn from the operating system's random source: for a poller on the real API, where each
 * process's jitter must differ from the others' (the same seed everywhere would send them all at the
 * same moments). Never used by a simulation, whose every seed is given.
 * @returns an integer in [0, 2³¹ − 1)
 */
export function freshSeed(): number {
  return randomInt(0, 2 ** 31 - 1);
}
