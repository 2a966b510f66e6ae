import type { Random } from '../../core/random.ts';
import { type Distribution, sample } from '../latency.ts';
import type { JobView } from './job.ts';
import type { JobLatency } from './latency-config.ts';
import { drawSegment, type Segment, toUnixSeconds } from './outcome.ts';

/** "roughly 10 mins past creation" (Assistants how-it-works docs, facts §5.1). */
export const RUN_EXPIRY_MS = 600_000;

/** Run statuses (SDK `RunStatus`). */
export type RunStatus =
  | 'queued'
  | 'in_progress'
  | 'requires_action'
  | 'cancelling'
  | 'cancelled'
  | 'failed'
  | 'completed'
  | 'incomplete'
  | 'expired';

/** Statuses during which the thread is locked (no new messages or runs). */
export const ACTIVE_RUN_STATUSES: ReadonlySet<string> = new Set([
  'queued',
  'in_progress',
  'requires_action',
  'cancelling',
]);

/** An Assistants run whose status is a function of time. */
export class Run implements JobView {
  readonly kind = 'run';
  private segment: Segment;
  private cancel: { at: number; doneAt: number } | undefined;
  readonly expiresAt: number;

  readonly id: string;
  readonly threadId: string;
  readonly assistantId: string;
  readonly model: string;
  readonly instructions: string | null;
  readonly createdAt: number;
  private readonly latency: JobLatency;
  private readonly random: Random;
  private readonly metadata: Readonly<Record<string, string>> | undefined;

  /** @param metadata - the request's, already checked (see `metadataOf`) */
  constructor(
    id: string,
    threadId: string,
    assistantId: string,
    model: string,
    instructions: string | null,
    createdAt: number,
    latency: JobLatency,
    random: Random,
    metadata?: Readonly<Record<string, string>>,
  ) {
    this.id = id;
    this.metadata = metadata;
    this.threadId = threadId;
    this.assistantId = assistantId;
    this.model = model;
    this.instructions = instructions;
    this.createdAt = createdAt;
    this.latency = latency;
    this.random = random;
    this.expiresAt = createdAt + RUN_EXPIRY_MS;
    this.segment = drawSegment(latency, random, createdAt, true);
  }

  status(nowMs: number): RunStatus {
    if (this.cancel !== undefined) return nowMs < this.cancel.doneAt ? 'cancelling' : 'cancelled';
    const { startAt, endAt, outcome } = this.segment;
    if (endAt > this.expiresAt && nowMs >= this.expiresAt) return 'expired';
    if (nowMs < startAt) return 'queued';
    if (nowMs < endAt) return 'in_progress';
    if (outcome === 'requires_action' && nowMs >= this.expiresAt) return 'expired';
    return outcome;
  }

  terminalAt(): number {
    if (this.cancel !== undefined) return this.cancel.doneAt;
    return Math.min(this.segment.endAt, this.expiresAt);
  }

  /** Starts cancellation; the caller has checked the status allows it. */
  requestCancel(nowMs: number, cancelling: number): void {
    this.cancel = { at: nowMs, doneAt: nowMs + cancelling };
  }

  /** Resumes a `requires_action` run: queued again, with a new segment from the run's stream. */
  submitToolOutputs(nowMs: number): void {
    this.segment = drawSegment(this.latency, this.random, nowMs, false);
  }

  /** Draws the cancellation delay from this run's stream. */
  cancelDelay(distribution: Distribution): number {
    return sample(distribution, this.random);
  }

  /** The `thread.run` object at `nowMs`, shaped as the OpenAPI `RunObject`. */
  toApi(nowMs: number, tools: readonly unknown[]): Record<string, unknown> {
    const status = this.status(nowMs);
    const { startAt, endAt } = this.segment;
    const started = nowMs >= startAt && status !== 'queued' ? toUnixSeconds(startAt) : null;
    const ended = status === 'completed' || status === 'failed' || status === 'incomplete';
    return {
      id: this.id,
      object: 'thread.run',
      created_at: toUnixSeconds(this.createdAt),
      thread_id: this.threadId,
      assistant_id: this.assistantId,
      status,
      required_action:
        status === 'requires_action'
          ? {
              type: 'submit_tool_outputs',
              submit_tool_outputs: {
                tool_calls: [
                  {
                    id: `call_${this.id.slice(4, 28)}`,
                    type: 'function',
                    function: { name: 'lookup', arguments: '{}' },
                  },
                ],
              },
            }
          : null,
      last_error:
        status === 'failed' ? { code: 'server_error', message: 'Sorry, something went wrong.' } : null,
      expires_at:
        ended || status === 'cancelled' || status === 'expired' ? null : toUnixSeconds(this.expiresAt),
      started_at: started,
      cancelled_at: status === 'cancelled' && this.cancel ? toUnixSeconds(this.cancel.doneAt) : null,
      failed_at: status === 'failed' ? toUnixSeconds(endAt) : null,
      completed_at: status === 'completed' ? toUnixSeconds(endAt) : null,
      incomplete_details: status === 'incomplete' ? { reason: 'max_completion_tokens' } : null,
      model: this.model,
      instructions: this.instructions ?? '',
      tools,
      metadata: this.metadata === undefined ? {} : { ...this.metadata },
      usage: ended ? { prompt_tokens: 120, completion_tokens: 2, total_tokens: 122 } : null,
      temperature: 1,
      top_p: 1,
      max_prompt_tokens: null,
      max_completion_tokens: null,
      truncation_strategy: { type: 'auto', last_messages: null },
      response_format: 'auto',
      tool_choice: 'auto',
      parallel_tool_calls: true,
    };
  }
}
