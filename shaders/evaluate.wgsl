// schedgpu: evaluate a plan (a flat segment table per schedule) at steps of its rows: the
// functions the evaluate kernel (evaluate-entry.wgsl) and the fused statistics kernel (stats.wgsl)
// share. Each invocation walks steps of one row STEP_STRIDE apart (LANES for the evaluate kernel, 1
// for the statistics), finding its first segment by binary search and then advancing segment by
// segment. Every boundary is an integer step computed on the CPU; the shader only subtracts
// integers and evaluates curves.
// The lines starting with //! are replaced by the generated structs and bindings (their layouts are
// declared in TypeScript), the primitive functions and the switch over primitive ids.

//!SEGMENT_STRUCT

//!BINDINGS

const PI: f32 = 3.14159265358979323846;
const NO_STEP: u32 = 0xffffffffu;
// invocations per workgroup
const LANES: u32 = 64u;

// true inside the loop evaluateRun runs for a segment in its primitive's common case (a progress
// curve with an integer denominator, see shader.ts): stored as a constant before each loop, so the
// branches it decides fold away there
var<private> inCommonCase: bool = false;

//!MATH

// number of breaks <= x: the level index of a staircase (binary search over integer breaks)
fn levelIndex(s: Segment, x: u32) -> u32 {
  var lo = 0u;
  var hi = s.count;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    if (breaks[s.breaksAt + mid] <= x) {
      lo = mid + 1u;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// (x / d, 1 - x / d) of a progress curve; the second from integers when d fits in u32, so that it
// keeps its digits near the end of a long run. Otherwise (d not a whole number below 2^32, or an
// origin between steps) 1 - p past the middle comes from (d - x - shift) / d in double-float,
// rounding once: 1 - p in f32 would keep only ulp(p) / (1 - p) of its digits, which a steep
// (1 - p)^power near the end of a fractional-length cycle magnifies.
fn progressPair(s: Segment, x: u32) -> vec2<f32> {
  if (inCommonCase || s.denom != 0u) {
    return vec2<f32>(f32(x) / s.p2.x, f32(bitcast<i32>(s.denom - x)) / f32(s.denom));
  }
  if (s.shift.x == 0.0) {
    let p = f32(x) / s.p2.x;
    if (p <= 0.5) {
      return vec2<f32>(p, 1.0 - p);
    }
  }
  let pq = progressPairHigh(s, x);
  return vec2<f32>(pq[0].x + pq[0].y, pq[1].x + pq[1].y);
}

// start + f * delta for a progress curve with f in [0, 1] and g = 1 - f computed separately: past
// the middle it is end - g * delta, so that values near the end of a curve keep their digits even
// when start and delta are large and nearly cancel (end = start + delta in double-float).
fn progressValue(s: Segment, f: f32, g: f32) -> f32 {
  if (f <= 0.5) {
    return s.p0.x + (f * s.p1.x + (s.p0.y + f * s.p1.y));
  }
  let end = (s.p0.x + s.p1.x) + (s.p0.y + s.p1.y);
  return end - (g * s.p1.x + g * s.p1.y);
}

// (x / d, 1 - x / d) in double-float; the second from integers when d fits in u32, else as
// (d - x - shift) / d, which keeps its relative digits near the end
fn progressPairHigh(s: Segment, x: u32) -> array<vec2<f32>, 2> {
  if (inCommonCase || s.denom != 0u) {
    // times the reciprocal (once per run: the loop hoists it), not two dfDiv per value
    let inv = dfDiv(df(1.0), s.p2);
    return array<vec2<f32>, 2>(dfMul(dfFromU32(x), inv), dfMul(dfFromI32(bitcast<i32>(s.denom - x)), inv));
  }
  let p = dfDiv(dfAdd(dfFromU32(x), s.shift), s.p2);
  return array<vec2<f32>, 2>(p, dfDiv(dfSub(s.p2, dfAdd(dfFromU32(x), s.shift)), s.p2));
}

// a progress p past one period of sin^2 (period 2, mirrored at 1) folded into [0, 1], with its
// complement, in double-float: a curve many periods long keeps its phase
fn dfFoldPeriod(p0: vec2<f32>) -> array<vec2<f32>, 2> {
  var p = dfSub(p0, df(2.0 * floor(p0.x * 0.5)));
  if (p.x < 0.0) {
    p = dfAdd(p, df(2.0));
  }
  if (p.x > 1.0) {
    p = dfSub(df(2.0), p);
  }
  return array<vec2<f32>, 2>(p, dfSub(df(1.0), p));
}

// progressValue in double-float: start + f * delta, or end - g * delta past the middle
fn progressValueHigh(s: Segment, f: vec2<f32>, g: vec2<f32>) -> vec2<f32> {
  if (f.x <= 0.5) {
    return dfAdd(s.p0, dfMul(f, s.p1));
  }
  return dfSub(dfAdd(s.p0, s.p1), dfMul(g, s.p1));
}

//!PRIMITIVE_FUNCTIONS

// x of step t: the local step, floored to the segment's quantum, plus its offset (all u32)
fn segmentX(s: Segment, t: u32) -> u32 {
  var local = t - s.start;
  if (s.quantum > 1u) {
    local = (local / s.quantum) * s.quantum;
  }
  return local + s.offset;
}

// the value type and its operations for this build (f32, or double-float for --precision high),
// and evaluateRun: one segment over a run of steps, with the switch over primitives outside the loop
//!PRECISION

fn nextStart(k: u32, last: u32) -> u32 {
  if (k + 1u < last) {
    return segments[k + 1u].start;
  }
  return NO_STEP;
}

// Steps t0, t0 + STEP_STRIDE, ... below t1 of one track into the build's sink (storeValue: `out`, or
// the fused statistics' fold), the value of step t at i0 + (t - t0); `first`: the row's first track,
// which stores rather than multiplies. The segment is found by binary search once, then walked: an
// invocation's steps only go forward.
fn evaluateTrack(track: u32, t0: u32, t1: u32, i0: u32, first: bool) {
  let firstSegment = trackSegments[track];
  let last = trackSegments[track + 1u];
  // last segment of the track whose start <= t0 (the first one starts at step 0)
  var lo = firstSegment;
  var hi = last;
  while (hi - lo > 1u) {
    let mid = (lo + hi) / 2u;
    if (segments[mid].start <= t0) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  // one run per segment that holds any of the steps
  var k = lo;
  var t = t0;
  loop {
    let next = nextStart(k, last);
    if (next > t) {
      let end = min(next, t1);
      evaluateRun(segments[k], t, end, i0 + (t - t0), first);
      t += ((end - t + STEP_STRIDE - 1u) / STEP_STRIDE) * STEP_STRIDE;
      if (t >= t1) {
        break;
      }
    }
    k++;
  }
}

// evaluateTrack for every track of one row: a row is the product of its tracks (almost always one)
fn evaluateSteps(row: u32, t0: u32, t1: u32, i0: u32) {
  let firstTrack = rowTracks[row];
  for (var track = firstTrack; track < rowTracks[row + 1u]; track++) {
    evaluateTrack(track, t0, t1, i0, track == firstTrack);
  }
}
