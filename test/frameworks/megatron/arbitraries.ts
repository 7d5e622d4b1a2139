/** Random Megatron OptimizerParamScheduler specs (every decay style, both outputs, increments) with a run length. */
import fc from 'fast-check';
import { real } from '../transformers/arbitraries.js';

const lrs = fc
  .tuple(real(0, 1e-3), real(0, 2), real(0, 1))
  .map(([min, span, at]) => ({ min_lr: min, max_lr: min + span, init_lr: (min + span) * at }));
const wd = fc.oneof(
  fc.record({ start_wd: fc.constant(0.1), end_wd: fc.constant(0.1), wd_incr_style: fc.constant('constant') }),
  fc
    .tuple(real(0, 0.1), real(0, 0.2), fc.constantFrom('linear', 'cosine'))
    .map(([s, d, style]) => ({ start_wd: s, end_wd: s + d, wd_incr_style: style })),
);
const style = fc.oneof(
  fc.constantFrom('constant', 'linear', 'cosine', 'inverse-square-root').map((s) => ({ lr_decay_style: s })),
  fc.record({
    lr_decay_style: fc.constant('WSD'),
    wsd_decay_steps: fc.integer({ min: 0, max: 3000 }),
    lr_wsd_decay_style: fc.constantFrom('linear', 'cosine', 'exponential', 'minus_sqrt'),
  }),
);

export const megatronSpec: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    lrs,
    wd,
    style,
    fc.integer({ min: 1, max: 4000 }),
    fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 300 })),
    fc.integer({ min: -5, max: 4000 }),
    fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 7 })),
    fc.constantFrom('lr', 'weight_decay'),
    fc.constantFrom('OptimizerParamScheduler', 'megatron.core.optimizer_param_scheduler.OptimizerParamScheduler'),
  )
  .map(([l, w, s, decay, warmup, wdSteps, increment, output, kind]) => ({
    kind,
    ...l,
    ...w,
    ...s,
    lr_decay_steps: decay,
    lr_warmup_steps: Math.min(warmup, decay - 1),
    wd_incr_steps: wdSteps,
    increment,
    output,
  }));

export const megatronRun: fc.Arbitrary<[Record<string, unknown>, number]> = fc.tuple(
  megatronSpec,
  fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 400, max: 3000 })),
);
