// The benchmark's workloads: deterministic functions of the row index (no RNG), so that the numpy
// and torch peers (bench/peers/*.py) build exactly the same schedules.
//   a: one kind varied by peak only (CosineDecreasing to 0): rows differ only by scale
//   b: structural sweep: warmup length, decay shape and power, floor and run length all vary
//   c: a heterogeneous mix of 10 noether kinds, with sequential compositions and staircases

/** Parameters of row i of workload b over `steps` steps (the peers compute the same). */
export function structuralRow(i, steps) {
  const peak = 1e-4 * (1 + (i % 10));
  const warmup = 1 + ((i * 37) % Math.max(1, Math.floor(steps / 10)));
  const length = steps - ((i * 101) % Math.floor(steps / 2));
  const floor = 1e-6 * (1 + (i % 13));
  const shape = ['CosineDecreasingSchedule', 'LinearDecreasingSchedule', 'PolynomialDecreasingSchedule'][i % 3];
  const power = 0.5 + (i % 7) * 0.5;
  return { peak, warmup, length, floor, shape, power };
}

function structural(i, steps) {
  const r = structuralRow(i, steps);
  return {
    kind: 'SequentialStepSchedule',
    schedule_configs: [
      {
        schedule: { kind: 'LinearIncreasingSchedule', start_value: 0, max_value: r.peak, exclude_first: true },
        end_step: r.warmup,
      },
      {
        schedule: {
          kind: r.shape,
          max_value: r.peak,
          end_value: r.floor,
          ...(r.shape.startsWith('Poly') ? { power: r.power } : {}),
        },
        start_step: r.warmup,
        end_step: r.length,
      },
    ],
  };
}

function mix(i) {
  const peak = 1e-4 * (1 + (i % 10));
  switch (i % 10) {
    case 0:
      return { kind: 'ConstantSchedule', value: peak };
    case 1:
      return { kind: 'LinearDecreasingSchedule', max_value: peak, end_value: peak / 100 };
    case 2:
      return { kind: 'CosineDecreasingSchedule', max_value: peak, end_value: 0 };
    case 3:
      return { kind: 'PolynomialIncreasingSchedule', start_value: 0, max_value: peak, power: 2 };
    case 4:
      return { kind: 'StepDecreasingSchedule', max_value: peak, end_value: 0, factor: 0.5, decreases_interval: 0.1 };
    case 5:
      return { kind: 'StepFixedSchedule', start_value: peak, factor: 0.3, steps: [0.3, 0.6, 0.9] };
    case 6:
      return { kind: 'StepIntervalSchedule', start_value: peak, factor: 0.9, update_interval: 0.02 };
    case 7:
      return { kind: 'LinearWarmupCosineDecaySchedule', max_value: peak, end_value: 1e-6, warmup_percent: 0.05 };
    case 8:
      return {
        kind: 'SequentialPercentSchedule',
        schedule_configs: [
          { schedule: { kind: 'LinearIncreasingSchedule', max_value: peak, exclude_first: true }, end_percent: 0.05 },
          { schedule: { kind: 'ConstantSchedule', value: peak }, end_percent: 0.8 },
          { schedule: { kind: 'LinearDecreasingSchedule', max_value: peak, end_value: 0 } },
        ],
      };
    default:
      return {
        kind: 'SequentialStepSchedule',
        schedule_configs: [
          { schedule: { kind: 'LinearIncreasingSchedule', max_value: peak, exclude_first: true }, end_step: 100 },
          { schedule: { kind: 'StepIntervalSchedule', start_value: peak, factor: 0.5, update_interval: 0.25 } },
        ],
      };
  }
}

export const WORKLOADS = {
  a: {
    name: 'one kind, peak only',
    specs: (rows) =>
      Array.from({ length: rows }, (_, i) => ({
        kind: 'CosineDecreasingSchedule',
        max_value: 1e-4 * (1 + (i % 97)),
        end_value: 0,
      })),
  },
  b: { name: 'structural sweep', specs: (rows, steps) => Array.from({ length: rows }, (_, i) => structural(i, steps)) },
  c: { name: 'mix of 10 kinds', specs: (rows) => Array.from({ length: rows }, (_, i) => mix(i)) },
};
