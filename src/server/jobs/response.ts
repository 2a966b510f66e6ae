import type { Random } from '../../core/random.ts';
import type { JobView } from './job.ts';
import type { JobLatency } from './latency-config.ts';
import { drawSegment, type Segment, toUnixSeconds } from './outcome.ts';

/** Background responses keep their data "for roughly 10 minutes to enable polling" (background guide). */
export const UNSTORED_RETENTION_MS = 600_000;

/** A Responses API call; with `background: true` it is a job polled with `GET /responses/{id}`. */
export class ResponseJob implements JobView {
  readonly kind = 'response';
  private readonly segment: Segment;
  private cancelledAt: number | undefined;

  readonly id: string;
  readonly model: string;
  readonly createdAt: number;
  readonly background: boolean;
  readonly store: boolean;
  // Only the request fields a Response echoes are kept, not the request: its input can be megabytes,
  // and a simulation keeps every job until it ends.
  private readonly instructions: string | null;
  private readonly maxOutputTokens: number | null;
  private readonly metadata: Readonly<Record<string, string>> | undefined;

  /** @param metadata - the request's, already checked (see `metadataOf`) */
  constructor(
    id: string,
    model: string,
    createdAt: number,
    background: boolean,
    store: boolean,
    request: Readonly<Record<string, unknown>>,
    latency: JobLatency,
    random: Random,
    metadata?: Readonly<Record<string, string>>,
  ) {
    this.id = id;
    this.model = model;
    this.createdAt = createdAt;
    this.metadata = metadata;
    this.background = background;
    this.store = store;
    this.instructions = typeof request.instructions === 'string' ? request.instructions : null;
    this.maxOutputTokens = typeof request.max_output_tokens === 'number' ? request.max_output_tokens : null;
    this.segment = drawSegment(latency, random, createdAt, false);
  }

  status(nowMs: number): string {
    if (this.cancelledAt !== undefined) return 'cancelled';
    if (nowMs < this.segment.startAt) return 'queued';
    if (nowMs < this.segment.endAt) return 'in_progress';
    return this.segment.outcome;
  }

  terminalAt(): number {
    return this.cancelledAt ?? this.segment.endAt;
  }

  /** True once an unstored response's data has been discarded. */
  evicted(nowMs: number): boolean {
    return !this.store && nowMs >= this.terminalAt() + UNSTORED_RETENTION_MS;
  }

  /** Cancels if still running; cancelling again is idempotent (background guide). */
  cancel(nowMs: number): void {
    if (this.cancelledAt === undefined && nowMs < this.segment.endAt) this.cancelledAt = nowMs;
  }

  /** The `response` object at `nowMs`, shaped as the OpenAPI `Response`. */
  toApi(nowMs: number): Record<string, unknown> {
    const status = this.status(nowMs);
    const done = status === 'completed' || status === 'incomplete';
    const text = 'YES';
    const body: Record<string, unknown> = {
      id: this.id,
      object: 'response',
      created_at: toUnixSeconds(this.createdAt),
      completed_at: status === 'completed' ? toUnixSeconds(this.segment.endAt) : null,
      status,
      background: this.background,
      error:
        status === 'failed'
          ? { code: 'server_error', message: 'The model failed to generate a response.' }
          : null,
      incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
      instructions: this.instructions,
      max_output_tokens: this.maxOutputTokens,
      model: this.model,
      output: done
        ? [
            {
              type: 'message',
              id: `msg_${this.id.slice(5, 53)}`,
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
            },
          ]
        : [],
      output_text: done ? text : '',
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      store: this.store,
      temperature: 1,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: 1,
      truncation: 'disabled',
    };
    // Added after the literal rather than spread into it: a spread in the literal was the costliest line
    // of a poll's answer (--cpu-prof). The keys keep their order, `usage` before `metadata`.
    if (done)
      body.usage = {
        input_tokens: 20,
        input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        output_tokens: 1,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 21,
      };
    // A copy: the fast transport hands this body to the client as it is. Tested first: spreading
    // `undefined` costs ~8 ns against ~1 ns for the literal, on every poll (a microbenchmark).
    body.metadata = this.metadata === undefined ? {} : { ...this.metadata };
    return body;
  }
}
