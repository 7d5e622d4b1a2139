/**
 * torchtitan's LRSchedulersContainer: value(t) = base_lr * linear_warmup_stable_decay(t), the lr
 * its LambdaLR gives after t calls of step().
 */
import { defineKind, type KindEntry } from '../types.js';
import * as cfg from './configs.js';
import { containerValue } from './oracle.js';
import { compileContainer } from './compile.js';

export const TORCHTITAN_KINDS: readonly KindEntry[] = [
  defineKind<cfg.ContainerConfig>({
    kind: cfg.TORCHTITAN,
    shortName: 'LRSchedulersContainer',
    framework: 'torchtitan',
    summary:
      'warmup `(t + 1) / W`, stable, then linear, sqrt or cosine decay over the last `decay_ratio` of `total_steps` (default: the run) to `min_lr_factor`',
    schema: cfg.containerSchema,
    strictKeys: true,
    reference: (c, step, total) => containerValue(c, step, total),
    compile: compileContainer,
    primitives: ['linear', 'cosine', 'kpoly', 'constant'],
  }),
];
