/** timm.scheduler: the lr after scheduler.step(t) on an optimizer whose lr is base_lr. */
import { defineKind, type KindEntry, type Refuse } from '../types.js';
import * as cfg from './configs.js';
import * as ref from './oracle.js';
import * as plan from './compile.js';
import { FrameworkError } from '../python.js';

const NOISE =
  'noise is a deterministic counter-based draw of (noise_seed, t), identical on cpu and webgpu but not torch’s generator (normal: Irwin-Hall of 12 uniforms, redrawn while |noise| >= noise_pct; after 64 draws the last is folded into range); noise_std is ignored as in timm; t_in_epochs=False gives the step_update(t) values';

/**
 * TanhLRScheduler's constructor evaluates _get_lr(warmup_t) to aim its warmup (without
 * warmup_prefix): an error there means the scheduler cannot be built.
 */
function checkTanh(c: cfg.TanhConfig, refuse: Refuse): void {
  cfg.checkTanhArgs(c, refuse);
  if (c.warmup_t === 0 || c.warmup_prefix) return;
  try {
    ref.tanhCycleValue(c, c.warmup_t);
  } catch (e) {
    if (!(e instanceof FrameworkError)) throw e;
    refuse(['warmup_t'], `makes the constructor's _get_lr(warmup_t) raise ${e.type}: ${e.detail}`, c.warmup_t);
  }
}

function timmKind<C extends cfg.TimmConfig>(
  name: string,
  summary: string,
  rest: Pick<KindEntry<C>, 'schema' | 'check' | 'reference' | 'compile'>,
  primitives: string[],
  extra = '',
): KindEntry {
  return defineKind<C>({
    kind: cfg.tmq(name),
    shortName: name,
    framework: 'timm',
    summary,
    strictKeys: true,
    ...rest,
    primitives: [...primitives, 'linear', 'noise'],
    divergence: `${NOISE}${extra}`,
  });
}

const CYCLES = '; cycle_mul <= 0 refused';

export const TIMM_KINDS: readonly KindEntry[] = [
  timmKind<cfg.CosineConfig>(
    'CosineLRScheduler',
    'warmup, then k-decay cosine cycles from `base_lr * cycle_decay^i` to `lr_min`',
    { schema: cfg.cosineSchema, check: cfg.checkCycles, reference: ref.cosineValue, compile: plan.compileCosine },
    ['cosine', 'constant', 'table'],
    CYCLES,
  ),
  timmKind<cfg.TanhConfig>(
    'TanhLRScheduler',
    'warmup toward `_get_lr(warmup_t)`, then tanh cycles from `lb` to `ub`',
    { schema: cfg.tanhSchema, check: checkTanh, reference: ref.tanhValue, compile: plan.compileTanh },
    ['tanh', 'constant', 'table'],
    CYCLES,
  ),
  timmKind<cfg.PolyConfig>(
    'PolyLRScheduler',
    'warmup, then `lr_min + (lr_max - lr_min)(1 - (t/t_i)^k)^power` cycles',
    { schema: cfg.polySchema, check: cfg.checkCycles, reference: ref.polyValue, compile: plan.compilePoly },
    ['kpoly', 'constant', 'table'],
    CYCLES,
  ),
  timmKind<cfg.StepConfig>(
    'StepLRScheduler',
    '`base_lr * decay_rate^(t // decay_t)` after the warmup',
    { schema: cfg.stepSchema, check: cfg.checkStep, reference: ref.stepValue, compile: plan.compileStep },
    ['exponential', 'constant', 'table'],
    '; decay_t 0 refused',
  ),
  timmKind<cfg.MultiStepConfig>(
    'MultiStepLRScheduler',
    '`base_lr * decay_rate^bisect_right(decay_t, t + 1)` (one step early)',
    {
      schema: cfg.multiStepSchema,
      check: cfg.checkMultiStep,
      reference: ref.multiStepValue,
      compile: plan.compileMultiStep,
    },
    ['levels', 'table'],
  ),
];
