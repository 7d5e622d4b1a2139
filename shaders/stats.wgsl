// schedgpu: per-schedule statistics of a plan's values, evaluated and reduced in one pass: no table
// is stored. `reduce` evaluates one block of LANES x LANE_STEPS steps of one row (with the 2 steps before and the
// one after that the step-change test reads) into workgroup memory, then folds it into a Partial
// for each requested step range (in two levels of eight); `merge` folds a tile's block partials,
// in order, into the running per-(range, row) accumulators. Sums are double-float (pairs of f32),
// so long sums keep ~48 bits. The evaluate library (evaluate.wgsl, with the plan's bindings and the
// math) comes first, storing into `blockValues`; the //! lines are replaced by the Partial and
// Params structs declared in src/stats/layout.ts.

//!PARTIAL_STRUCT

//!PARAMS_STRUCT

// steps a workgroup reduces: LANES invocations x LANE_STEPS, as many as the device's workgroup
// memory holds (src/stats/engine.ts sets it)
override LANE_STEPS: u32 = 32u;
const BLOCK_PARTS: u32 = 8u;
// steps blockStart - 2 .. blockStart + block + 1 of the workgroup's row, at t + 2 - blockStart
var<workgroup> blockValues: array<f32, LANES * LANE_STEPS + 3u>;

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

// one range's steps [a, b) of this block (empty where b <= a) folded by this invocation, in step
// order. Branch-free (select, non-short-circuit &): in a loop body every branch costs lavapipe's
// SIMD lanes more than the arithmetic it skips.
fn foldSteps(a: u32, b: u32, rangeEnd: u32, blockStart: u32, lid: u32) -> Partial {
  let len = select(0u, b - a, b > a);
  let per = (len + 63u) / 64u;
  let ts = a + min(lid * per, len);
  let te = a + min((lid + 1u) * per, len);
  var p = emptyPartial();
  if (ts >= te) {
    return p;
  }
  // blockValues[t + 2 - blockStart] is step t; below step 0 it holds zeros, never used (select)
  let shift = 2u - blockStart;
  // the sum as hi + lo: one TwoSum per value, hi and lo renormalized once at the end
  var sumHi = 0.0;
  var sumLo = 0.0;
  var minV = blockValues[ts + shift];
  var minI = ts;
  var maxV = minV;
  var maxI = ts;
  var jumps = 0u;
  // the step-change test slides over floored values: f(t - 1), f(t) and the changes around t;
  // each step reads one value, step t + 1's
  var v = minV;
  var fb = floored(blockValues[ts + shift - 1u]);
  var fv = floored(v);
  var dPrev = select(0.0, fb - floored(blockValues[ts + shift - 2u]), ts >= 2u);
  for (var t = ts; t < te; t++) {
    let s = opaque(sumHi + v);
    let bb = opaque(s - sumHi);
    sumLo += (sumHi - (s - bb)) + (v - bb);
    sumHi = s;
    // strict comparisons: the first step keeps a tie
    minI = select(minI, t, v < minV);
    minV = select(minV, v, v < minV);
    maxI = select(maxI, t, v > maxV);
    maxV = select(maxV, v, v > maxV);
    let next = blockValues[t + shift + 1u];
    let fn1 = floored(next);
    let dNext = select(0.0, fn1 - fv, t + 1u < params.totalSteps);
    let size = abs(fv - fb);
    let jump = (t >= 1u) & (size > JUMP_RELATIVE * max(abs(fv), abs(fb))) & (size > JUMP_RATIO * max(abs(dPrev), abs(dNext)));
    jumps += select(0u, 1u, jump);
    // the change at t is step t + 1's previous change once t + 1 >= 2
    dPrev = select(0.0, fv - fb, t >= 1u);
    fb = fv;
    fv = fn1;
    v = next;
  }
  // the annealing momentum's contribution of each step's decrease to the range's end (rank only)
  var anneal = vec2<f32>(0.0, 0.0);
  if (params.invOneMinusLambda != 0.0) {
    for (var t = max(ts, 1u); t < te; t++) {
      let d = blockValues[t + shift] - blockValues[t + shift - 1u];
      let weight = oneMinusExp(f32(rangeEnd - t) * params.lnLambda) * params.invOneMinusLambda;
      anneal = dfAdd(anneal, dfTwoProd(-d, weight));
    }
  }
  let sum = dfQuickTwoSum(sumHi, sumLo);
  p.sumHi = sum.x;
  p.sumLo = sum.y;
  p.minV = minV;
  p.minI = minI;
  p.maxV = maxV;
  p.maxI = maxI;
  p.jumps = jumps;
  p.count = te - ts;
  p.annealHi = anneal.x;
  p.annealLo = anneal.y;
  return p;
}

@compute @workgroup_size(64)
fn reduce(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dfZeroBits = params.zeroBits;
  let block = LANES * LANE_STEPS;
  let blockStart = params.step0 + wid.x * block;
  let blockEnd = min(blockStart + block, params.step1);
  // the block's values and its halo, never stored outside the workgroup
  let first = max(blockStart, 2u) - 2u;
  let last = min(blockEnd + 1u, params.totalSteps);
  if (first + lid < last) {
    evaluateSteps(params.row0 + wid.y, first + lid, last, first + lid + 2u - blockStart);
  }
  workgroupBarrier();
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
    scratch[lid] = foldSteps(max(range.x, blockStart), min(range.y, blockEnd), range.y, blockStart, lid);
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
