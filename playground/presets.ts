/** Specs the playground offers: the start page, a two-framework comparison, a sweep drawn as bands. */

export const EXAMPLE = `- id: warmup-cosine
  kind: LinearWarmupCosineDecaySchedule
  max_value: 1.0e-3
  warmup_percent: 0.05
- id: steps
  kind: StepFixedSchedule
  start_value: 1.0e-3
  factor: 0.3
  steps: [0.5, 0.75]
`;

/** The same numbers in two frameworks: torch's recursion against HF's closed form over 10,000 steps. */
export const COMPARE = `- id: torch-cosine
  kind: torch.optim.lr_scheduler.CosineAnnealingLR
  base_lr: 1.0e-3
  T_max: 10000
  eta_min: 0.0
- id: hf-cosine
  kind: transformers.optimization.get_cosine_schedule_with_warmup
  base_lr: 1.0e-3
  num_warmup_steps: 0
  num_training_steps: 10000
`;
export const COMPARE_STEPS = 10000;

export const SWEEP = `steps: 20000
base: {kind: LinearWarmupCosineDecaySchedule, max_value: 1.0e-3, end_value: 1.0e-6, warmup_percent: 0.05}
grid:
  max_value: {logspace: [-4, -3, 5]}
  warmup_percent: {linspace: [0.0, 0.1, 6]}
id: "lwcd-{max_value:.2g}-w{warmup_percent:.2g}"
`;
