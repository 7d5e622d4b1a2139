/** timm.scheduler: the lr after scheduler.step(t) on an optimizer whose lr is base_lr. */
import type { KindEntry, Refuse } from '../types.js';
import * as cfg from './configs.js';
import { cycleValue, timmValue } from './oracle.js';
import { FrameworkError } from '../python.js';
import { compileTimm } from './compile.js';

type Entry = KindEntry<any>;

const NOISE =
  'noise is a deterministic counter-based draw of (noise_seed, t), identical on cpu and webgpu but not torch’s generator (normal: Irwin-Hall of 12 uniforms, redrawn while |noise| >= noise_pct; after 64 draws the last is folded into range); noise_std is ignored as in timm; t_in_epochs=False gives the step_update(t) values';

/**
 * TanhLRScheduler's constructor evaluates _get_lr(warmup_t) to aim its warmup (without
 * warmup_prefix): an error there means the scheduler cannot be built.
 */
function checkTanh(c: cfg.TanhConfig, refuse: Refuse): void {
  cfg.checkCycles(c, refuse);
  if (c.warmup_t === 0 || c.warmup_prefix) return;
  try {
    cycleValue(c, c.warmup_t);
  } catch (e) {
    if (!(e instanceof FrameworkError)) throw e;
    refuse(['warmup_t'], `makes the constructor's _get_lr(warmup_t) raise ${e.type}: ${e.detail}`, c.warmup_t);
  }
}

function kind(
  name: string,
  summary: string,
  schema: Entry['schema'],
  check: Entry['check'],
  primitives: string[],
  extra = '',
): Entry {
  return {
    kind: cfg.tmq(name),
    shortName: name,
    framework: 'timm',
    summary,
    schema,
    strictKeys: true,
    check,
    reference: (c: cfg.TimmConfig, step: number) => timmValue(c, step),
    compile: compileTimm,
    primitives: [...primitives, 'linear', 'noise'],
    divergence: `${NOISE}${extra}`,
  };
}

const CYCLES = '; cycle_mul <= 0 refused';

export const TIMM_KINDS: readonly Entry[] = [
  kind(
    'CosineLRScheduler',
    'warmup, then k-decay cosine cycles from `base_lr * cycle_decay^i` to `lr_min`',
    cfg.cosineSchema,
    cfg.checkCycles,
    ['cosine', 'constant', 'table'],
    CYCLES,
  ),
  kind(
    'TanhLRScheduler',
    'warmup toward `_get_lr(warmup_t)`, then tanh cycles from `lb` to `ub`',
    cfg.tanhSchema,
    checkTanh,
    ['tanh', 'constant', 'table'],
    CYCLES,
  ),
  kind(
    'PolyLRScheduler',
    'warmup, then `lr_min + (lr_max - lr_min)(1 - (t/t_i)^k)^power` cycles',
    cfg.polySchema,
    cfg.checkCycles,
    ['kpoly', 'constant', 'table'],
    CYCLES,
  ),
  kind(
    'StepLRScheduler',
    '`base_lr * decay_rate^(t // decay_t)` after the warmup',
    cfg.stepSchema,
    cfg.checkSteps,
    ['exponential', 'constant', 'table'],
    '; decay_t 0 refused',
  ),
  kind(
    'MultiStepLRScheduler',
    '`base_lr * decay_rate^bisect_right(decay_t, t + 1)` (one step early)',
    cfg.multiStepSchema,
    cfg.checkSteps,
    ['levels', 'table'],
  ),
];
