/** schedgpu's public API, exported by name. */
export { evaluate, compile, type EvaluateOptions } from './evaluate.js';
export { validateSpecs, validateSpec, type RunSpec, type Validated } from './spec/validate.js';
export { parseSpecText, readSpecFile } from './spec/parse.js';
export { compilePlan, compileRun, type Plan } from './plan/compile.js';
export { PRIMITIVES } from './plan/primitives.js';
export { timePass } from './backends/webgpu/pass-timer.js';
export type { Segment } from './plan/segments.js';
export {
  createBackend,
  CpuBackend,
  WebGpuBackend,
  requestGpu,
  BACKEND_CHOICES,
  type Backend,
  type BackendChoice,
  type CreateBackendOptions,
  type Dtype,
  type Tile,
  type TileRect,
  type RunOptions,
  type StageTimings,
  type TileHandler,
} from './backends/index.js';
export { collectTable, placeTile, type Table } from './sinks/table.js';
export { NpyWriter, npyHeader, parseNpyHeader } from './sinks/npy.js';
export { writeCsv, writeJson } from './sinks/text.js';
export { KINDS, lookupKind } from './frameworks/registry.js';
export type { KindEntry, NormalSpec } from './frameworks/types.js';
export * as reference from './oracle/index.js';
export { expandSweep, type ExpandedSweep, type Variant, type SweepFile } from './sweep/expand.js';
export { compileSweepPlan } from './sweep/plan.js';
export { runSweep, type SweepOptions, type SweepResult, type Shard } from './sweep/run.js';
export { mergeShards } from './sweep/merge.js';
export { readManifest, type Manifest } from './sweep/manifest.js';
export {
  Scheduler,
  type SchedulerOptions,
  type SchedulerState,
  type ParamGroup,
  type TableGroup,
} from './runtime/scheduler.js';
export {
  StepIntervalTrigger,
  TimeIntervalTrigger,
  PeriodicTrigger,
  type Callback,
  type PeriodicCallbackFn,
  type PeriodicOptions,
  type IntervalType,
} from './runtime/triggers.js';
export { UpdateCounter, type CounterState } from './runtime/counter.js';
export { SpecError, StepError, RuntimeFailure, CapacityError, type ErrorCode } from './errors.js';
export { DeviceLost } from './backends/webgpu/lost.js';
export {
  stats,
  rank,
  predictedLossCurve,
  predictLoss,
  type StatsOptions,
  type LossLaw,
  type RankedSchedule,
  type RowStats,
  type Range,
} from './stats/index.js';
export * from './laws/index.js';
export { readRunsFile, type RunEntry } from './laws/runs-file.js';
