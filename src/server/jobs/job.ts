/** The kinds of job a client polls. */
export type JobKind = 'run' | 'response' | 'batch' | 'file_batch';

/** What every job exposes to observers (the simulator's metrics), whatever its kind. */
export interface JobView {
  readonly id: string;
  readonly kind: JobKind;
  readonly model: string;
  /** @unit milliseconds */
  readonly createdAt: number;
  /** Status at time `nowMs`, computed from the clock: a job advances whether or not anyone polls it. */
  status(nowMs: number): string;
  /** When the job first reached a status a poller stops at, if no one intervenes. @unit milliseconds */
  terminalAt(): number;
}
