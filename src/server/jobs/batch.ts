import type { Random } from '../../core/random.ts';
import { sample } from '../latency.ts';
import type { JobView } from './job.ts';
import type { BatchLatency } from './latency-config.ts';
import { toUnixSeconds } from './outcome.ts';

/** `completion_window` accepts only `24h` (batch guide, facts §6.2). */
export const BATCH_WINDOW_MS = 86_400_000;

/** A batch: validating → in_progress → finalizing → completed, `expired` past the 24 h window. */
export class BatchJob implements JobView {
  readonly kind = 'batch';
  readonly model: string;
  readonly expiresAt: number;
  private readonly validatedAt: number;
  private readonly processedAt: number;
  private readonly finalizedAt: number;
  private readonly failedValidation: boolean;
  private cancel: { at: number; doneAt: number } | undefined;

  readonly id: string;
  readonly endpoint: string;
  readonly inputFileId: string;
  readonly createdAt: number;
  readonly requestCount: number;
  private readonly latency: BatchLatency;
  private readonly random: Random;
  private readonly metadata: Readonly<Record<string, string>> | undefined;

  /** @param metadata - the request's, already checked (see `metadataOf`) */
  constructor(
    id: string,
    endpoint: string,
    inputFileId: string,
    createdAt: number,
    requestCount: number,
    latency: BatchLatency,
    random: Random,
    metadata?: Readonly<Record<string, string>>,
    model = 'batch',
  ) {
    this.id = id;
    this.metadata = metadata;
    this.endpoint = endpoint;
    this.inputFileId = inputFileId;
    this.createdAt = createdAt;
    this.requestCount = requestCount;
    this.latency = latency;
    this.random = random;
    this.model = model;
    this.expiresAt = createdAt + BATCH_WINDOW_MS;
    this.validatedAt = createdAt + sample(latency.validating, random);
    this.processedAt = this.validatedAt + sample(latency.inProgress, random);
    this.finalizedAt = this.processedAt + sample(latency.finalizing, random);
    this.failedValidation = random.next() < (latency.failRate ?? 0);
  }

  status(nowMs: number): string {
    if (this.cancel !== undefined) return nowMs < this.cancel.doneAt ? 'cancelling' : 'cancelled';
    if (nowMs < this.validatedAt) return 'validating';
    if (this.failedValidation) return 'failed';
    if (this.processedAt > this.expiresAt) return nowMs < this.expiresAt ? 'in_progress' : 'expired';
    if (nowMs < this.processedAt) return 'in_progress';
    if (nowMs < this.finalizedAt) return 'finalizing';
    return 'completed';
  }

  terminalAt(): number {
    if (this.cancel !== undefined) return this.cancel.doneAt;
    if (this.failedValidation) return this.validatedAt;
    if (this.processedAt > this.expiresAt) return this.expiresAt;
    return this.finalizedAt;
  }

  /** True while `cancel` is allowed. */
  cancellable(nowMs: number): boolean {
    const status = this.status(nowMs);
    return status === 'validating' || status === 'in_progress' || status === 'finalizing';
  }

  requestCancel(nowMs: number): void {
    this.cancel = { at: nowMs, doneAt: nowMs + sample(this.latency.cancelling, this.random) };
  }

  /** The `batch` object at `nowMs`, shaped as the OpenAPI `Batch`. */
  toApi(nowMs: number): Record<string, unknown> {
    const status = this.status(nowMs);
    // The schema has these optional and non-nullable: omit what has not happened yet.
    const at = (name: string, ms: number, reached: boolean) => (reached ? { [name]: toUnixSeconds(ms) } : {});
    const inProgress = nowMs >= this.validatedAt && !this.failedValidation;
    const completed = status === 'completed';
    const done = completed ? this.requestCount : 0;
    return {
      id: this.id,
      object: 'batch',
      endpoint: this.endpoint,
      ...(status === 'failed'
        ? {
            errors: {
              object: 'list',
              data: [{ code: 'invalid_json_line', message: 'Invalid JSON line.', param: null, line: 1 }],
            },
          }
        : {}),
      input_file_id: this.inputFileId,
      completion_window: '24h',
      status,
      ...(completed ? { output_file_id: `file-out${this.id.slice(6, 24)}` } : {}),
      created_at: toUnixSeconds(this.createdAt),
      ...at('in_progress_at', this.validatedAt, inProgress),
      expires_at: toUnixSeconds(this.expiresAt),
      ...at(
        'finalizing_at',
        this.processedAt,
        inProgress && nowMs >= this.processedAt && this.processedAt <= this.expiresAt,
      ),
      ...at('completed_at', this.finalizedAt, completed),
      ...at('failed_at', this.validatedAt, status === 'failed'),
      ...at('expired_at', this.expiresAt, status === 'expired'),
      ...(this.cancel ? at('cancelling_at', this.cancel.at, true) : {}),
      ...(this.cancel ? at('cancelled_at', this.cancel.doneAt, status === 'cancelled') : {}),
      request_counts: { total: this.requestCount, completed: done, failed: 0 },
      // null when none was given, as the schema allows (Batch.metadata is nullable).
      metadata: this.metadata === undefined ? null : { ...this.metadata },
    };
  }
}
