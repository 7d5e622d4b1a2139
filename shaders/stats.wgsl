// schedgpu: per-schedule statistics of a plan's values, evaluated and reduced in one pass: no value
// is stored, not even in workgroup memory. In `reduce`, each invocation evaluates a run of
// consecutive steps of one row (up to RUN_STEPS, with the 2 steps before and the one after that the
// step-change test reads) and folds each value as the evaluate library hands it over (foldValue is
// the library's sink), in registers; the workgroup's 64 run partials are combined into one
// Partial per block and requested step range, in two levels of eight. `merge` folds a tile's block
// partials, in order, into the running per-(range, row) accumulators. Sums are double-float (pairs
// of f32), so long sums keep ~48 bits. The evaluate library (evaluate.wgsl, with the plan's
// bindings and the math, its sink the fold below) comes first; the //! lines are replaced by the
// Partial and Params structs declared in src/stats/layout.ts.

//!PARTIAL_STRUCT

//!PARAMS_STRUCT

// consecutive steps an invocation folds: a workgroup reduces blocks of LANES x RUN_STEPS steps
// (src/stats/engine.ts sets it)
override RUN_STEPS: u32 = 256u;
// fold the annealing area too (rank): a pipeline constant, so that stats' loops carry none of it
override WITH_ANNEAL: bool = false;
const BLOCK_PARTS: u32 = 8u;

const JUMP_RATIO: f32 = 4.0;
const JUMP_RELATIVE: f32 = 1e-5;
const JUMP_FLOOR: f32 = 1.1754943508222875e-38; // f32's smallest normal: below it counts as 0, as on the cpu

fn floored(x: f32) -> f32 {
  return select(x, 0.0, abs(x) < JUMP_FLOOR);
}

var<workgroup> scratch: array<Partial, 64>;

// every member zero (count 0: empty), whatever the declared order of the members
fn emptyPartial() -> Partial {
  return Partial();
}

// min and max keep the first step on ties, whatever order partials are combined in
fn combine(p: Partial, q: Partial) -> Partial {
  if (q.count == 0u) {
    return p;
  }
  if (p.count == 0u) {
    return q;
  }
  var r = p;
  let sum = dfAdd(vec2<f32>(p.sumHi, p.sumLo), vec2<f32>(q.sumHi, q.sumLo));
  r.sumHi = sum.x;
  r.sumLo = sum.y;
  let anneal = dfAdd(vec2<f32>(p.annealHi, p.annealLo), vec2<f32>(q.annealHi, q.annealLo));
  r.annealHi = anneal.x;
  r.annealLo = anneal.y;
  if (q.minV < p.minV || (q.minV == p.minV && q.minI < p.minI)) {
    r.minV = q.minV;
    r.minI = q.minI;
  }
  if (q.maxV > p.maxV || (q.maxV == p.maxV && q.maxI < p.maxI)) {
    r.maxV = q.maxV;
    r.maxI = q.maxI;
  }
  r.jumps = p.jumps + q.jumps;
  r.count = p.count + q.count;
  return r;
}

// 1 - e^x for x <= 0 without the cancellation of 1 - exp(x) near 0 (Taylor series there)
fn oneMinusExp(x: f32) -> f32 {
  if (x < -0.5) {
    return 1.0 - exp(x);
  }
  var term = -x;
  var sum = term;
  for (var k = 2.0; k <= 10.0; k += 1.0) {
    term = term * x / k;
    sum += term;
  }
  return sum;
}

// The fold of one invocation's run, steps [runStart, runEnd) of a range that ends at rangeEnd, in
// private variables (registers once the library is inlined). Branch-free (select, non-short-circuit
// &): in a loop body every branch costs lavapipe's SIMD lanes more than the arithmetic it skips.
var<private> runStart: u32;
var<private> runEnd: u32;
var<private> rangeEnd: u32;
// the sum as hi + lo: one TwoSum per value, renormalized once at the end of the run
var<private> sumHi: f32;
var<private> sumLo: f32;
var<private> minV: f32;
var<private> minI: u32;
var<private> maxV: f32;
var<private> maxI: u32;
var<private> jumps: u32;
// floored values of the last three steps folded: f(t - 1), f(t - 2), f(t - 3) before step t's
var<private> f1: f32;
var<private> f2: f32;
var<private> f3: f32;
// the annealing area (WITH_ANNEAL) and the previous step's value, whose decrease it weighs
var<private> anneal: vec2<f32>;
var<private> previous: f32;
// rows of several tracks: the product of the tracks at steps chunkStart.. (built by the library's
// putValue, in track order as the evaluate kernel multiplies them), CHUNK steps at a time so that each
// track's segment is searched once per chunk rather than per step
const CHUNK: u32 = 32u;
var<private> chunk: array<f32, CHUNK>;
var<private> chunkStart: u32;

// 1 if step u is a step change of the run: f1, f2 and f3 hold f(u), f(u - 1) and f(u - 2), floored;
// dNext is the change after u (0 at the last step)
fn stepChange(u: u32, dNext: f32) -> u32 {
  let size = abs(f1 - f2);
  let dPrev = select(0.0, f2 - f3, u >= 2u);
  let jump = (u >= runStart) & (u < runEnd) & (u >= 1u) & (size > JUMP_RELATIVE * max(abs(f1), abs(f2))) & (size > JUMP_RATIO * max(abs(dPrev), abs(dNext)));
  return select(0u, 1u, jump);
}

// The library's sink: the value of step t, steps in order from the run's halo before to its halo
// after. Halo steps only feed the step-change test (adding 0 leaves the TwoSum exact).
fn foldValue(t: u32, v: f32) {
  let inRun = (t >= runStart) & (t < runEnd);
  let x = select(0.0, v, inRun);
  let s = opaque(sumHi + x);
  let bb = opaque(s - sumHi);
  sumLo += (sumHi - (s - bb)) + (x - bb);
  sumHi = s;
  // strict comparisons: the first step keeps a tie
  let takeMin = inRun & ((v < minV) | (t == runStart));
  minI = select(minI, t, takeMin);
  minV = select(minV, v, takeMin);
  let takeMax = inRun & ((v > maxV) | (t == runStart));
  maxI = select(maxI, t, takeMax);
  maxV = select(maxV, v, takeMax);
  // step t - 1's test, now that the change after it is known
  let fv = floored(v);
  jumps += stepChange(t - 1u, fv - f1);
  f3 = f2;
  f2 = f1;
  f1 = fv;
  if (WITH_ANNEAL) {
    // the annealing momentum's contribution of step t's decrease to the range's end (rank only)
    let d = select(0.0, v - previous, inRun & (t >= 1u));
    let weight = oneMinusExp(f32(rangeEnd - t) * params.lnLambda) * params.invOneMinusLambda;
    anneal = dfAdd(anneal, dfTwoProd(-d, weight));
    previous = v;
  }
}

// one range's steps [a, b) of this block (empty where b <= a): this invocation's share, a run of
// consecutive steps, evaluated with its halo and folded as it goes
fn foldSteps(row: u32, a: u32, b: u32, end: u32, lid: u32) -> Partial {
  let len = select(0u, b - a, b > a);
  let per = (len + 63u) / 64u;
  runStart = a + min(lid * per, len);
  runEnd = a + min((lid + 1u) * per, len);
  var p = emptyPartial();
  if (runStart >= runEnd) {
    return p;
  }
  rangeEnd = end;
  sumHi = 0.0;
  sumLo = 0.0;
  jumps = 0u;
  anneal = vec2<f32>(0.0, 0.0);
  let first = max(runStart, 2u) - 2u;
  let last = min(runEnd + 1u, params.totalSteps);
  let firstTrack = rowTracks[row];
  let lastTrack = rowTracks[row + 1u];
  if (lastTrack - firstTrack == 1u) {
    // one track (almost always): the whole run in one walk, each value folded as it is evaluated
    evaluateTrack(firstTrack, first, last, first, true);
  } else {
    // several: a chunk of steps at a time, every track multiplying into chunk (from 1: the first
    // track's value stays exact), then the products folded in step order
    for (var t = first; t < last; t += CHUNK) {
      let tEnd = min(t + CHUNK, last);
      chunkStart = t;
      for (var j = 0u; j < CHUNK; j++) {
        chunk[j] = 1.0;
      }
      for (var track = firstTrack; track < lastTrack; track++) {
        evaluateTrack(track, t, tEnd, t, false);
      }
      for (var u = t; u < tEnd; u++) {
        foldValue(u, chunk[u - t]);
      }
    }
  }
  // the last step of the row has no change after it
  if (runEnd == params.totalSteps) {
    jumps += stepChange(runEnd - 1u, 0.0);
  }
  let sum = dfQuickTwoSum(sumHi, sumLo);
  p.sumHi = sum.x;
  p.sumLo = sum.y;
  p.minV = minV;
  p.minI = minI;
  p.maxV = maxV;
  p.maxI = maxI;
  p.jumps = jumps;
  p.count = runEnd - runStart;
  p.annealHi = anneal.x;
  p.annealLo = anneal.y;
  return p;
}

@compute @workgroup_size(64)
fn reduce(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dfZeroBits = params.zeroBits;
  let block = LANES * RUN_STEPS;
  let blockStart = params.step0 + wid.x * block;
  let blockEnd = min(blockStart + block, params.step1);
  let row = params.row0 + wid.y;
  for (var k = 0u; k < params.rangeCount; k++) {
    let range = ranges[k];
    let at = (k * params.rows + wid.y) * params.blocks + wid.x;
    // most ranges (the first and last step, --at steps) miss most blocks
    if (range.y <= blockStart || range.x >= blockEnd) {
      if (lid == 0u) {
        partials[at] = emptyPartial();
      }
      continue;
    }
    scratch[lid] = foldSteps(row, max(range.x, blockStart), min(range.y, blockEnd), range.y, lid);
    // two levels of eight (two barriers rather than six): lanes 0..7 fold eight partials each
    workgroupBarrier();
    if (lid < BLOCK_PARTS) {
      var q = scratch[lid * BLOCK_PARTS];
      for (var j = 1u; j < BLOCK_PARTS; j++) {
        q = combine(q, scratch[lid * BLOCK_PARTS + j]);
      }
      scratch[lid * BLOCK_PARTS] = q;
    }
    workgroupBarrier();
    if (lid == 0u) {
      var q = scratch[0];
      for (var j = 1u; j < BLOCK_PARTS; j++) {
        q = combine(q, scratch[j * BLOCK_PARTS]);
      }
      partials[at] = q;
    }
    workgroupBarrier();
  }
}

@compute @workgroup_size(64)
fn merge(@builtin(global_invocation_id) gid: vec3<u32>) {
  dfZeroBits = params.zeroBits;
  let i = gid.x;
  if (i >= params.rows * params.rangeCount) {
    return;
  }
  let row = i % params.rows;
  let range = i / params.rows;
  let at = range * params.totalRows + params.row0 + row;
  var p = acc[at];
  let first = (range * params.rows + row) * params.blocks;
  for (var k = 0u; k < params.blocks; k++) {
    p = combine(p, partials[first + k]);
  }
  acc[at] = p;
}
