/**
 * Megatron-LM's OptimizerParamScheduler: value(t) = the param group's lr (or weight_decay, by
 * `output`) after the constructor's step(0) and t calls of step(increment).
 */
import { defineKind, type KindEntry } from '../types.js';
import * as cfg from './configs.js';
import { schedulerValue } from './oracle.js';
import { compileScheduler } from './compile.js';

export const MEGATRON_KINDS: readonly KindEntry[] = [
  defineKind<cfg.SchedulerConfig>({
    kind: cfg.MEGATRON,
    shortName: 'OptimizerParamScheduler',
    framework: 'megatron',
    summary:
      'warmup from `init_lr` (inclusive), then constant, linear, cosine, inverse-square-root or WSD decay to `min_lr`; `output: weight_decay` gives the weight-decay increment',
    divergence: 'step counts and `increment` must be integers',
    schema: cfg.schedulerSchema,
    strictKeys: true,
    outputs: cfg.OUTPUTS,
    check: cfg.checkScheduler,
    reference: (c, step) => schedulerValue(c, step),
    compile: compileScheduler,
    primitives: ['linear', 'cosine', 'polynomial', 'kpoly', 'offsetexp', 'constant'],
  }),
];
