/** What every job exposes to observers (the simulator's metrics), whatever its kind. */
export interface JobView {
  readonly id: string;
  readonly kind: 'run' | 'response' | 'batch';
  readonly model: string;
  /** @unit milliseconds */
  readonly createdAt: number;
  /** Status at time `nowMs`, computed from the clock: a job advances whether or not anyone polls it. */
  status(nowMs: number): string;
  /** When the job first reached a status a poller stops at, if no one intervenes. @unit milliseconds */
  terminalAt(): number;
}
