/** Loss laws: fit them to observed curves, predict any schedule's loss, optimise a schedule. */
export { mpl, evaluateMpl, prepareMpl, MPL_PARAMS } from './mpl.js';
export { tissue, evaluateTissue, TISSUE_PARAMS } from './tissue.js';
export { LAWS, lawByName, readParams } from './registry.js';
export { minimizeBox, type BoxOptions, type BoxResult, type Objective } from './lbfgsb.js';
export { huber, huberSlope, huberObjective, HUBER_DELTA, type FitRun } from './objective.js';
export {
  fitLaw,
  curveMetrics,
  FIT_PROTOCOLS,
  type FitProtocol,
  type ObservedRun,
  type FitResult,
  type FitOptions,
  type CurveMetrics,
} from './fit.js';
export { adamW, type AdamWOptions, type AdamWResult } from './adamw.js';
export { mplPaperStart } from './mpl-start.js';
export { predictCurve } from './predict.js';
export type { Law, LawCurve, LawEval, LawParams, PreparedCurve } from './types.js';
export {
  optimizeMplSchedule,
  standardFamily,
  warmupThen,
  type OptimizeOptions,
  type OptimizeResult,
} from './optimize.js';
export { mplFinalLossAndLrGradient } from './mpl-lr-gradient.js';
export { mplLossesOfPlan, mplLossesOnHost, type MplPlanLosses } from './mpl-plan.js';
export { mplSumsOnGpu, type MplSums, type RowRange } from './mpl-gpu.js';
export { searchFamily, type FamilySearch, type FamilyMember, type FamilyOptions } from './family.js';
