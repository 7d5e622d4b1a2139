/**
 * The browser build's entry (the playground): the same spec -> plan -> backend -> sink code, minus
 * what needs Node (files, worker threads, Dawn's binding, resvg). WebGPU comes from navigator.gpu.
 */
export { parseSpecText } from './spec/parse-text.js';
export { validateSpecs } from './spec/validate.js';
export { compilePlan, type Plan } from './plan/compile.js';
export { InlineCpuBackend } from './backends/cpu-inline.js';
export { WebGpuBackend } from './backends/webgpu/backend.js';
export type { Backend, Tile } from './backends/types.js';
export { collectTable, type Table } from './sinks/table.js';
export { npyHeader } from './sinks/npy-header.js';
export { rangeSet, rowStats, type RowStats } from './stats/define.js';
export { computePartials } from './stats/engine.js';
export { ColumnReducer } from './plot/downsample.js';
export { chartSpec } from './plot/chart.js';
export { SpecError, StepError } from './errors.js';
