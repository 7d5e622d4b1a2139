/**
 * HF transformers' schedule functions (transformers.optimization.get_*_schedule*): value(t) =
 * base_lr * lr_lambda(t), the lr LambdaLR gives after t calls of scheduler.step().
 */
import * as cfg from './configs.js';
import * as ref from './oracle.js';
import * as plan from './compile.js';
import { defineKind, type KindEntry } from '../types.js';

function hfKind<C extends cfg.HfBase>(
  name: string,
  summary: string,
  rest: Pick<KindEntry<C>, 'schema' | 'reference' | 'compile' | 'primitives'> &
    Partial<Pick<KindEntry<C>, 'check' | 'divergence'>>,
): KindEntry {
  return defineKind<C>({
    kind: `${cfg.HF}.${name}`,
    // `transformers.get_...` as the package re-exports it
    aliases: [`transformers.${name}`],
    shortName: name,
    framework: 'transformers',
    summary,
    strictKeys: true,
    check: cfg.checkLastEpoch,
    ...rest,
  });
}

export const TRANSFORMERS_KINDS: readonly KindEntry[] = [
  hfKind<cfg.HfBase>('get_constant_schedule', '`base_lr` at every step', {
    schema: cfg.constantSchema,
    reference: (c) => ref.constantValue(c),
    compile: plan.compileConstant,
    primitives: ['constant'],
  }),
  hfKind<cfg.ConstantWarmupConfig>(
    'get_constant_schedule_with_warmup',
    'linear warmup from 0 over `num_warmup_steps`, then `base_lr`',
    {
      schema: cfg.constantWarmupSchema,
      reference: (c, t) => ref.constantWarmupValue(c, t),
      compile: plan.compileConstantWarmup,
      primitives: ['linear', 'constant'],
    },
  ),
  hfKind<cfg.LinearConfig>(
    'get_linear_schedule_with_warmup',
    'linear warmup, then linear decay to 0 at `num_training_steps`',
    {
      schema: cfg.linearSchema,
      reference: (c, t) => ref.linearValue(c, t),
      compile: plan.compileLinear,
      primitives: ['linear', 'constant'],
    },
  ),
  hfKind<cfg.CosineConfig>(
    'get_cosine_schedule_with_warmup',
    'linear warmup, then `num_cycles` cosine waves (0.5: half cosine to 0); rises again past the end',
    {
      schema: cfg.cosineSchema,
      reference: (c, t) => ref.cosineValue(c, t),
      compile: plan.compileCosine,
      primitives: ['linear', 'cosine', 'constant'],
    },
  ),
  hfKind<cfg.HardRestartsConfig>(
    'get_cosine_with_hard_restarts_schedule_with_warmup',
    'linear warmup, then `num_cycles` half cosines that restart at `base_lr`; 0 from `num_training_steps`',
    {
      schema: cfg.hardRestartsSchema,
      reference: (c, t) => ref.hardRestartsValue(c, t),
      compile: plan.compileHardRestarts,
      primitives: ['linear', 'cosine', 'constant'],
    },
  ),
  hfKind<cfg.PolynomialConfig>(
    'get_polynomial_decay_schedule_with_warmup',
    'linear warmup, then `(base_lr - lr_end) * remaining^power + lr_end`; `lr_end` past the end',
    {
      schema: cfg.polynomialSchema,
      check: cfg.checkPolynomial,
      reference: (c, t) => ref.polynomialValue(c, t),
      compile: plan.compilePolynomial,
      primitives: ['linear', 'polynomial', 'constant'],
    },
  ),
  hfKind<cfg.InverseSqrtConfig>(
    'get_inverse_sqrt_schedule',
    'linear warmup, then `base_lr / sqrt((t + timescale - W) / timescale)` (timescale: W or 10000)',
    {
      schema: cfg.inverseSqrtSchema,
      reference: (c, t) => ref.inverseSqrtValue(c, t),
      compile: plan.compileInverseSqrt,
      primitives: ['linear', 'polynomial'],
    },
  ),
  hfKind<cfg.WsdConfig>(
    'get_wsd_schedule',
    'warmup (`warmup_type`), stable, decay (`decay_type`) to `min_lr_ratio`; linear/cosine/1-sqrt',
    {
      schema: cfg.wsdSchema,
      check: cfg.checkWsd,
      reference: (c, t) => ref.wsdValue(c, t),
      compile: plan.compileWsd,
      primitives: ['linear', 'cosine', 'polynomial', 'kpoly', 'table', 'constant'],
    },
  ),
  hfKind<cfg.CosineMinLrConfig>(
    'get_cosine_with_min_lr_schedule_with_warmup',
    'linear warmup, then cosine from `base_lr` to `min_lr` (or `min_lr_rate * base_lr`)',
    {
      schema: cfg.cosineMinLrSchema,
      check: cfg.checkCosineMinLr,
      reference: (c, t) => ref.cosineMinLrValue(c, t),
      compile: plan.compileCosineMinLr,
      primitives: ['linear', 'cosine', 'table', 'constant'],
    },
  ),
];
