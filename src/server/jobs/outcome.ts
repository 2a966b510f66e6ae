import type { Random } from '../../core/random.ts';
import { sample } from '../latency.ts';
import type { JobLatency } from './latency-config.ts';

/** How a job segment ends, drawn when it starts. */
export type Outcome = 'completed' | 'failed' | 'incomplete' | 'requires_action';

/** Queue delay, duration and outcome of one segment of a job. */
export interface Segment {
  readonly startAt: number;
  readonly endAt: number;
  readonly outcome: Outcome;
}

/**
 * When a job that arrives at `fromMs` starts (after its queue delay) and ends (after its duration),
 * drawn from its own random stream in that order. @unit milliseconds
 */
export function drawSpan(
  latency: JobLatency,
  random: Random,
  fromMs: number,
): { readonly startAt: number; readonly endAt: number } {
  const startAt = fromMs + sample(latency.queue, random);
  return { startAt, endAt: startAt + sample(latency.duration, random) };
}

/**
 * Draws a segment from the job's own random stream, always in the same order (queue, duration,
 * outcome), so a job's timeline depends only on the seed, its client and its ordinal there.
 */
export function drawSegment(
  latency: JobLatency,
  random: Random,
  fromMs: number,
  allowAction: boolean,
): Segment {
  const { startAt, endAt } = drawSpan(latency, random, fromMs);
  const u = random.next();
  const failed = latency.failRate ?? 0;
  const incomplete = failed + (latency.incompleteRate ?? 0);
  const action = incomplete + (allowAction ? (latency.requiresActionRate ?? 0) : 0);
  const outcome: Outcome =
    u < failed ? 'failed' : u < incomplete ? 'incomplete' : u < action ? 'requires_action' : 'completed';
  return { startAt, endAt, outcome };
}

/** Milliseconds → Unix seconds, as every API timestamp is. */
export const toUnixSeconds = (ms: number): number => Math.floor(ms / 1000);
