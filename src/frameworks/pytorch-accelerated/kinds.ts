/**
 * pytorch_accelerated.schedulers: CosineLrScheduler and WSDLrScheduler, value(t) =
 * get_updated_values(t)[0] on an optimizer whose lr is base_lr.
 */
import { defineKind } from '../types.js';
import * as cfg from './configs.js';
import { cosineValue, wsdValue } from './oracle.js';
import { compileCosine, compileWsd } from './compile.js';

const common = { framework: 'pytorch_accelerated', strictKeys: true } as const;

export const PYTORCH_ACCELERATED_KINDS = [
  defineKind<cfg.CosineConfig>({
    ...common,
    kind: cfg.paq('CosineLrScheduler'),
    shortName: 'CosineLrScheduler',
    summary: 'linear warmup, k-decay cosine over `[W, T - W - C)` to `lr_min` (or `min_lr_ratio * lr`), then held',
    schema: cfg.cosineSchema,
    check: cfg.checkCosine,
    reference: (c, step) => cosineValue(c, step),
    compile: compileCosine,
    primitives: ['linear', 'cosine', 'constant'],
    divergence:
      'epoch and step counts must be integers (Python would take floats); param_group_field is accepted and changes nothing (base_lr is that field)',
  }),
  defineKind<cfg.WsdConfig>({
    ...common,
    kind: cfg.paq('WSDLrScheduler'),
    shortName: 'WSDLrScheduler',
    summary: 'warmup, stable `base_lr`, then a sqrt or inverse decay to `lr_min * base_lr` before each checkpoint',
    schema: cfg.wsdSchema,
    check: cfg.checkWsd,
    reference: (c, step) => wsdValue(c, step),
    compile: compileWsd,
    primitives: ['linear', 'constant', 'kpoly', 'reciprocal'],
    divergence:
      "step counts must be integers; is_continuation_from_checkpoint=true gives the constructed scheduler's values (no warmup), not those after a load_state_dict, which restores the saved flag",
  }),
];
