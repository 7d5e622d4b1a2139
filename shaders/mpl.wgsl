// schedgpu: the multi-power law's loss at checkpoints of many schedules (src/laws/mpl-gpu.ts), from
// lr values the evaluate kernel left on the device:
//
//   LD(t) = sum_{k=1..t} (lr[k] - lr[k-1]) * G(lr[k]^(-gamma) * (P(t) - P(k-1))),  P(i) = lr[0] + ... + lr[i]
//   G(x) = 1 - (C x + 1)^(-beta) = -expm1(-beta * log1p(C x))
//
// `prepare` (a workgroup per row) forms P in double-float and, per step, lr^(-gamma) and the lr's
// change; `reduce` (a workgroup per row and checkpoint) sums the terms in double-float. S1(t) = P(t)
// and LD(t) go back to the host, which adds L0 + A S1^(-alpha) + B LD in f64. math.wgsl and df.wgsl
// are prepended; the //! lines are replaced by the structs and bindings of src/laws/mpl-gpu.ts.

//!PARAMS_STRUCT

//!OUT_STRUCT

//!BINDINGS

const WG: u32 = 256u;
var<workgroup> part: array<vec2<f32>, 256>;
var<workgroup> badSteps: atomic<u32>;

// an inclusive Hillis-Steele scan of part[] in workgroup memory
fn scanPart(lid: u32) {
  for (var d = 1u; d < WG; d = d * 2u) {
    var carried = vec2<f32>(0.0, 0.0);
    if (lid >= d) {
      carried = part[lid - d];
    }
    workgroupBarrier();
    if (lid >= d) {
      part[lid] = dfAdd(part[lid], carried);
    }
    workgroupBarrier();
  }
}

// prepared[row * steps + i] = (P(i) hi, P(i) lo, lr[i]^(-gamma) (-1 where lr[i] <= 0), lr[i] - lr[i-1])
@compute @workgroup_size(256)
fn prepare(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dfZeroBits = mpl.zeroBits;
  let row = wid.x;
  let n = mpl.steps;
  let chunk = (n + WG - 1u) / WG;
  let lo = min(lid * chunk, n);
  let hi = min(lo + chunk, n);
  let base = row * n;
  // each invocation sums its chunk, the workgroup scans the chunk sums, then each walks its chunk again
  var s = vec2<f32>(0.0, 0.0);
  for (var i = lo; i < hi; i++) {
    s = dfAdd(s, df(lr[base + i]));
  }
  part[lid] = s;
  workgroupBarrier();
  scanPart(lid);
  var p = vec2<f32>(0.0, 0.0);
  if (lid > 0u) {
    p = part[lid - 1u];
  }
  for (var i = lo; i < hi; i++) {
    let v = lr[base + i];
    p = dfAdd(p, df(v));
    var gap = 0.0;
    if (i > 0u) {
      gap = v - lr[base + i - 1u];
    }
    var eta = -1.0;
    if (v > 0.0) {
      eta = 0.0;
      // only steps where the lr changes contribute; the exponent in double-float: |gamma ln lr| can
      // reach 10 and more, whose f32 rounding alone would cost 1e-6 of lr^(-gamma)
      if (gap != 0.0) {
        eta = expOwnPair(dfMul(dfLog(df(v)), mpl.negGamma));
      }
    }
    prepared[base + i] = vec4<f32>(p.x, p.y, eta, gap);
  }
}

// out[(row0 + row) * checkpointCount + c]: S1 and LD at checkpoint c of a row
@compute @workgroup_size(256)
fn reduce(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dfZeroBits = mpl.zeroBits;
  let c = wid.x;
  let row = wid.y;
  let t = checkpoints[c];
  let base = row * mpl.steps;
  let top = prepared[base + t];
  let pt = top.xy;
  if (lid == 0u) {
    atomicStore(&badSteps, 0u);
  }
  workgroupBarrier();
  var acc = vec2<f32>(0.0, 0.0);
  var bad = 0u;
  for (var k = 1u + lid; k <= t; k += WG) {
    let q = prepared[base + k];
    if (q.z < 0.0) {
      bad = bad + 1u;
    } else if (q.w != 0.0) {
      let sk = dfSub(pt, prepared[base + k - 1u].xy);
      let cx = mpl.C * (q.z * (sk.x + sk.y));
      let g = -expm1Own(-mpl.beta * log1pOwn(cx, 1.0 + cx));
      acc = dfAdd(acc, dfTwoProd(q.w, g));
    }
  }
  if (bad > 0u) {
    atomicAdd(&badSteps, bad);
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var d = WG / 2u; d > 0u; d = d / 2u) {
    if (lid < d) {
      part[lid] = dfAdd(part[lid], part[lid + d]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    out[(mpl.row0 + row) * mpl.checkpointCount + c] = MplAt(part[0].x, part[0].y, pt.x, pt.y, atomicLoad(&badSteps), 0u, 0u, 0u);
  }
}
