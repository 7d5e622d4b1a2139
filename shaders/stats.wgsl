// schedgpu: per-schedule statistics of evaluated values that stay on the GPU. `reduce` folds one
// block of steps of one row into a Partial for each requested step range (workgroup tree reduction);
// `merge` folds a tile's block partials, in order, into the running per-(range, row) accumulators.
// Sums are double-float (pairs of f32), so long sums keep ~48 bits. math.wgsl and df.wgsl are prepended;
// the //! lines are replaced by the Partial and Params structs and the bindings declared in
// src/stats/layout.ts.

//!PARTIAL_STRUCT

//!PARAMS_STRUCT

//!BINDINGS

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

fn valueAt(row: u32, t: u32) -> f32 {
  return values[row * params.evalSteps + (t - params.evalStep0)];
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

@compute @workgroup_size(64)
fn reduce(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dfZeroBits = params.zeroBits;
  let range = ranges[wid.z];
  let blockStart = params.step0 + wid.x * params.blockSteps;
  let a = max(range.x, blockStart);
  let b = min(range.y, min(blockStart + params.blockSteps, params.step1));
  let len = select(0u, b - a, b > a);
  let per = (len + 63u) / 64u;
  let ts = a + min(lid * per, len);
  let te = a + min((lid + 1u) * per, len);
  var p = emptyPartial();
  var sum = vec2<f32>(0.0, 0.0);
  var anneal = vec2<f32>(0.0, 0.0);
  for (var t = ts; t < te; t++) {
    let v = valueAt(wid.y, t);
    sum = dfAdd(sum, vec2<f32>(v, 0.0));
    if (p.count == 0u || v < p.minV) {
      p.minV = v;
      p.minI = t;
    }
    if (p.count == 0u || v > p.maxV) {
      p.maxV = v;
      p.maxI = t;
    }
    p.count++;
    if (t >= 1u) {
      let before = valueAt(wid.y, t - 1u);
      let d = v - before;
      let fv = floored(v);
      let fb = floored(before);
      var dPrev = 0.0;
      if (t >= 2u) {
        dPrev = fb - floored(valueAt(wid.y, t - 2u));
      }
      var dNext = 0.0;
      if (t + 1u < params.totalSteps) {
        dNext = floored(valueAt(wid.y, t + 1u)) - fv;
      }
      let size = abs(fv - fb);
      if (size > JUMP_RELATIVE * max(abs(fv), abs(fb)) && size > JUMP_RATIO * max(abs(dPrev), abs(dNext))) {
        p.jumps++;
      }
      // the annealing momentum's contribution of this step's decrease to the range's end (rank only)
      if (params.invOneMinusLambda == 0.0) {
        continue;
      }
      let weight = oneMinusExp(f32(range.y - t) * params.lnLambda) * params.invOneMinusLambda;
      anneal = dfAdd(anneal, dfTwoProd(-d, weight));
    }
  }
  p.sumHi = sum.x;
  p.sumLo = sum.y;
  p.annealHi = anneal.x;
  p.annealLo = anneal.y;
  scratch[lid] = p;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      scratch[lid] = combine(scratch[lid], scratch[lid + stride]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    partials[(wid.z * params.rows + wid.y) * params.blocks + wid.x] = scratch[0];
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
