/**
 * pollbench's simulator as a library (`pollbench/sim`): run the bundled scenarios or your own in
 * virtual time, in your own tests, and drive the real `openai` SDK against the mock on a virtual clock.
 */

export type { TiersSummary } from '../reports/tiers-summary.ts';
export type { TriedSetting, TunedSummary, TuneRange, Tuning } from '../reports/tuning.ts';
export {
  PollerFailed,
  type PollerRun,
  type RunSimulationOptions,
  runSimulation,
  type SimulationConfig,
  type SimulationResult,
  simulatePoller,
} from './engine.ts';
export { type JobCancel, type LiveRun, type LiveRunOptions, runLive } from './live-run.ts';
export type { DelaySummary, PollerMetrics } from './metrics.ts';
export { tierPreset, tierScenarioName } from './presets.ts';
export {
  bundledScenarioNames,
  loadScenario,
  loadScenarioStudy,
  parseScenario,
  parseScenarioStudy,
  type ScenarioStudy,
} from './scenario-file.ts';
export {
  DEFAULT_STALL_MS,
  type PollerTrace,
  type SeedStudy,
  type SeedStudyOptions,
  SeedThreads,
  type SeedWorkerOptions,
  type SimulatedRun,
  simulateInWorker,
  studySeeds,
  type ThreadedStudyOptions,
} from './seed-study.ts';
export { configFromArgs } from './sim-flags.ts';
export { parseTierList } from './tier-list.ts';
export { type TuneOptions, tunePoller } from './tune.ts';
export {
  DEFAULT_GRID_POINTS,
  DEFAULT_GRID_POINTS_2D,
  DEFAULT_GRID_POINTS_3D,
  DEFAULT_REFINE_ROUNDS,
  MAX_TUNED_PARAMS,
  parseTuneSpec,
  REFINE_STARTS_2D,
  type TunePoint,
  type TuneTarget,
} from './tune-spec.ts';
export { withVirtualSdk } from './virtual-sdk.ts';
export { GLOBAL_TO_FAKE, type RunLimits, SimulationStopped, VirtualTime } from './virtual-time.ts';
export {
  type Arrival,
  type FlowName,
  type JobOutcome,
  WORKLOAD_LIMITS,
  type WorkloadConfig,
} from './workloads/workload.ts';
