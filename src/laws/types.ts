/**
 * What every loss law offers the fitter, the predictor and the optimiser: the predicted loss at
 * checkpoints of one lr curve, and its gradient with respect to the law's parameters.
 *
 * Indexing (both laws, as the MPL paper's code): `lr[i]` is the lr of update i + 1 (the table's value
 * at step i), and the loss observed at step s is predicted from lr[0..s], i.e. after s + 1 updates.
 */
export interface LawCurve {
  /** lr at every step 0..T-1 (lr[0] may be 0, as at the start of a linear warmup; the rest > 0). */
  lr: Float64Array;
  /** Checkpoint steps, each in [0, T - 1]. */
  at: Int32Array;
}

export interface LawEval {
  /** Predicted loss at each checkpoint. */
  pred: Float64Array;
  /** d pred[i] / d param[j] at jac[i * params + j] (only when asked for). */
  jac: Float64Array | null;
}

export interface Law {
  readonly name: 'mpl' | 'tissue';
  readonly params: readonly string[];
  /** Box bounds of each parameter (the fitter keeps them). */
  bounds(minLoss: number): { lower: number[]; upper: number[] };
  /** A curve prepared once for many evaluations (prefix sums, nonzero lr changes). */
  prepare(curve: LawCurve): PreparedCurve;
  evaluate(theta: ArrayLike<number>, curve: PreparedCurve, gradient: boolean): LawEval;
}

export interface PreparedCurve {
  readonly curve: LawCurve;
}

/** The fitted parameters as `params.json` holds them. */
export type LawParams = { law: 'mpl' | 'tissue' } & Record<string, number | string>;
