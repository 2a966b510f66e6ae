import type { Random } from '../../core/random.ts';
import type { JobView } from './job.ts';
import type { JobLatency } from './latency-config.ts';
import { drawSpan, toUnixSeconds } from './outcome.ts';

/** A file attached by a batch: what its processing needs to know. */
export interface BatchFile {
  readonly id: string;
  /** @unit bytes */
  readonly bytes: number;
}

/** `file_counts` of a file batch or a vector store (OpenAPI `VectorStoreFileBatchObject`). */
export interface FileCounts {
  in_progress: number;
  completed: number;
  failed: number;
  cancelled: number;
  total: number;
}

/**
 * A vector-store file batch: `in_progress → completed | failed | cancelled` (the only statuses the
 * schema and the SDK's poll helper know, facts §6.3). Its files are embedded one after another over the
 * batch's duration; each may fail on its own, and the batch still ends `completed` then — the SDK docs
 * tell callers to check `file_counts.failed` (facts §6.3). It ends `failed` only when every file failed
 * (an assumption: OpenAI does not say when a whole batch fails).
 */
export class FileBatchJob implements JobView {
  readonly kind = 'file_batch';
  /** Vector stores are not tied to a model; their requests count against the store's own limit. */
  readonly model = 'vector_store';
  readonly id: string;
  readonly vectorStoreId: string;
  readonly createdAt: number;
  readonly files: readonly BatchFile[];
  private readonly startAt: number;
  private readonly endAt: number;
  private readonly failed: readonly boolean[];
  private cancelledAt: number | undefined;

  /** Draws from `random` in a fixed order (queue, duration, each file's outcome). */
  constructor(
    id: string,
    vectorStoreId: string,
    createdAt: number,
    files: readonly BatchFile[],
    latency: JobLatency,
    random: Random,
  ) {
    this.id = id;
    this.vectorStoreId = vectorStoreId;
    this.createdAt = createdAt;
    this.files = files;
    const span = drawSpan(latency, random, createdAt);
    this.startAt = span.startAt;
    this.endAt = span.endAt;
    const failRate = latency.failRate ?? 0;
    this.failed = files.map(() => random.next() < failRate);
  }

  /** When file `i` is done (success or failure). @unit milliseconds */
  private fileDoneAt(i: number): number {
    return this.startAt + ((this.endAt - this.startAt) * (i + 1)) / this.files.length;
  }

  status(nowMs: number): string {
    if (this.cancelledAt !== undefined) return 'cancelled';
    if (nowMs < this.endAt) return 'in_progress';
    return this.failed.every(Boolean) ? 'failed' : 'completed';
  }

  terminalAt(): number {
    return this.cancelledAt ?? this.endAt;
  }

  /** True while `cancel` is allowed. */
  cancellable(nowMs: number): boolean {
    return this.status(nowMs) === 'in_progress';
  }

  /** Stops processing now: files not yet done are counted as cancelled. */
  cancel(nowMs: number): void {
    this.cancelledAt = nowMs;
  }

  /** Per-file counts at `nowMs`, and the bytes of the files embedded so far. */
  counts(nowMs: number): { fileCounts: FileCounts; usageBytes: number } {
    const fileCounts: FileCounts = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 };
    let usageBytes = 0;
    const stop = this.cancelledAt === undefined ? nowMs : Math.min(nowMs, this.cancelledAt);
    for (let i = 0; i < this.files.length; i++) {
      fileCounts.total++;
      if (this.fileDoneAt(i) <= stop) {
        if (this.failed[i]) fileCounts.failed++;
        else {
          fileCounts.completed++;
          usageBytes += (this.files[i] as BatchFile).bytes;
        }
      } else if (this.cancelledAt !== undefined) fileCounts.cancelled++;
      else fileCounts.in_progress++;
    }
    return { fileCounts, usageBytes };
  }

  /** The batch at `nowMs`, shaped as the OpenAPI `VectorStoreFileBatchObject`. */
  toApi(nowMs: number): Record<string, unknown> {
    return {
      id: this.id,
      object: 'vector_store.files_batch',
      created_at: toUnixSeconds(this.createdAt),
      vector_store_id: this.vectorStoreId,
      status: this.status(nowMs),
      file_counts: this.counts(nowMs).fileCounts,
    };
  }
}

/** A vector store: a name and the batches attached to it. Its status follows its files. */
export class VectorStore {
  readonly id: string;
  readonly name: string | null;
  readonly createdAt: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly batches: FileBatchJob[] = [];
  lastActiveAt: number;

  constructor(
    id: string,
    name: string | null,
    createdAt: number,
    metadata: Readonly<Record<string, string>>,
  ) {
    this.id = id;
    this.name = name;
    this.createdAt = createdAt;
    this.lastActiveAt = createdAt;
    this.metadata = metadata;
  }

  /** The store at `nowMs`, shaped as the OpenAPI `VectorStoreObject`. */
  toApi(nowMs: number): Record<string, unknown> {
    const fileCounts: FileCounts = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 };
    let usageBytes = 0;
    for (const batch of this.batches) {
      const counts = batch.counts(nowMs);
      usageBytes += counts.usageBytes;
      for (const key of Object.keys(fileCounts) as (keyof FileCounts)[])
        fileCounts[key] += counts.fileCounts[key];
    }
    return {
      id: this.id,
      object: 'vector_store',
      created_at: toUnixSeconds(this.createdAt),
      name: this.name,
      usage_bytes: usageBytes,
      file_counts: fileCounts,
      // "completed indicates that the vector store is ready for use" (schema): not while files embed.
      status: fileCounts.in_progress > 0 ? 'in_progress' : 'completed',
      expires_at: null,
      last_active_at: toUnixSeconds(this.lastActiveAt),
      metadata: { ...this.metadata },
    };
  }
}
