/**
 * pytorch_optimizer.lr_scheduler's schedulers, each under its module's name, with the package's
 * re-exports (`pytorch_optimizer.lr_scheduler.X`, `pytorch_optimizer.X`) as aliases.
 */
import { defineKind, type KindEntry } from '../types.js';
import * as cfg from './configs.js';
import * as ref from './oracle.js';
import * as plan from './compile.js';

function poKind<
  C extends
    | cfg.WsdConfig
    | cfg.RexConfig
    | cfg.WarmupRestartsConfig
    | cfg.LinearWarmupConfig
    | cfg.PolyConfig
    | cfg.ChebyshevConfig,
>(
  module: string,
  name: string,
  shortName: string,
  summary: string,
  rest: Pick<KindEntry<C>, 'schema' | 'reference' | 'compile' | 'primitives'> & Partial<KindEntry<C>>,
): KindEntry {
  return defineKind<C>({
    kind: `${cfg.PO}.${module}.${name}`,
    aliases: [`${cfg.PO}.${name}`, `pytorch_optimizer.${name}`],
    shortName,
    framework: 'pytorch_optimizer',
    summary,
    strictKeys: true,
    ...rest,
  });
}

export const PYTORCH_OPTIMIZER_KINDS: readonly KindEntry[] = [
  // transformers has a get_wsd_schedule too: the short name stays HF's, this one is reached by its package name
  poKind<cfg.WsdConfig>(
    'wsd',
    'get_wsd_schedule',
    'pytorch_optimizer.get_wsd_schedule',
    'linear warmup, stable, cooldown (`cooldown_type` cosine to `min_lr_ratio`; 1-sqrt, linear, 1-square to 0, then `min_lr_ratio`)',
    {
      schema: cfg.wsdSchema,
      check: cfg.checkLastEpoch,
      reference: (c, t) => ref.wsdValue(c, t),
      compile: plan.compileWsd,
      primitives: ['linear', 'constant', 'cosine', 'kpoly'],
      divergence: 'step counts must be integers (Python would take floats)',
    },
  ),
  poKind<cfg.RexConfig>(
    'rex',
    'REXScheduler',
    'REXScheduler',
    '`min_lr` at construction, then `min + (max - min) (1 - p) / (1 - p / 2)`, p = t / `total_steps`; `min_lr` from there',
    {
      schema: cfg.rexSchema,
      reference: (c, t) => ref.rexValue(c, t),
      compile: plan.compileRex,
      primitives: ['constant', 'rex'],
      divergence: 'total_steps must be an integer (Python would take a float)',
    },
  ),
  poKind<cfg.WarmupRestartsConfig>(
    'cosine_anealing',
    'CosineAnnealingWarmupRestarts',
    'CosineAnnealingWarmupRestarts',
    '`min_lr` at construction, then cycles of linear warmup and half cosine, each `cycle_mult` longer and `gamma` lower',
    {
      schema: cfg.warmupRestartsSchema,
      check: cfg.checkWarmupRestarts,
      reference: (c, t) => ref.warmupRestartsValue(c, t),
      compile: plan.compileWarmupRestarts,
      primitives: ['constant', 'linear', 'cosine'],
      divergence: 'step counts must be integers (Python would take floats)',
    },
  ),
  poKind<cfg.LinearWarmupConfig>(
    'linear_warmup',
    'LinearScheduler',
    'LinearScheduler',
    '`min_lr`, warmup from `init_lr` (one step late), then a line from `max_lr` through `min_lr` at `t_max`, unclamped',
    {
      schema: cfg.linearWarmupSchema,
      check: cfg.checkLinearWarmup,
      reference: (c, t) => ref.linearValue(c, t),
      compile: plan.compileLinear,
      primitives: ['constant', 'linear'],
      divergence: 'step counts must be integers (Python would take floats)',
    },
  ),
  poKind<cfg.LinearWarmupConfig>(
    'linear_warmup',
    'CosineScheduler',
    'CosineScheduler',
    '`min_lr`, warmup from `init_lr` (one step late), then a half cosine from `max_lr` to `min_lr` at `t_max`, periodic past it',
    {
      schema: cfg.linearWarmupSchema,
      check: cfg.checkLinearWarmup,
      reference: (c, t) => ref.cosineValue(c, t),
      compile: plan.compileCosine,
      primitives: ['constant', 'linear', 'cosine'],
      divergence: 'step counts must be integers (Python would take floats)',
    },
  ),
  poKind<cfg.PolyConfig>(
    'linear_warmup',
    'PolyScheduler',
    'PolyScheduler',
    '`min_lr`, warmup from `init_lr` (one step late), then `min + (max - min) (t - W) ^ poly_order`, growing without bound',
    {
      schema: cfg.polySchema,
      check: cfg.checkPoly,
      reference: (c, t) => ref.polyValue(c, t),
      compile: plan.compilePoly,
      primitives: ['constant', 'linear', 'polynomial'],
      divergence: 'step counts must be integers (Python would take floats)',
    },
  ),
  poKind<cfg.ChebyshevConfig>(
    'chebyshev',
    'get_chebyshev_schedule',
    'get_chebyshev_schedule',
    '`base_lr` times Chebyshev step sizes in fractal order (next power of two above `num_epochs - 1`), held at the last',
    {
      schema: cfg.chebyshevSchema,
      check: cfg.checkLastEpoch,
      reference: (c, t) => ref.chebyshevValue(c, t),
      compile: plan.compileChebyshev,
      primitives: ['constant', 'levels'],
      divergence: 'num_epochs must be an integer and is_warmup a boolean (Python would take any number)',
    },
  ),
];
