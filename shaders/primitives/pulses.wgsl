// p0 where x mod period is one of the firing residues, else p1: periodic triggers (every n updates,
// epochs or samples). breaks[breaksAt] is the period, then `count` sorted residues.
fn pulseFires(s: Segment, x: u32) -> bool {
  let r = x % breaks[s.breaksAt];
  var lo = 0u;
  var hi = s.count;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    let v = breaks[s.breaksAt + 1u + mid];
    if (v == r) {
      return true;
    }
    if (v < r) {
      lo = mid + 1u;
    } else {
      hi = mid;
    }
  }
  return false;
}

fn prim_pulses(s: Segment, x: u32) -> f32 {
  if (pulseFires(s, x)) {
    return s.p0.x;
  }
  return s.p1.x;
}
