// Double-float arithmetic for the high-precision path: a value is vec2<f32>(hi, lo) with
// |lo| <= ulp(hi) / 2, about 48 significant bits. Error-free transformations (Knuth's TwoSum,
// Dekker's split and product) use only f32 additions and multiplications, so they do not depend on
// a fused multiply-add. The functions' measured error against f64 is asserted by
// test/numerics.test.ts on the adapter it runs on.

const DF_SPLIT: f32 = 4097.0; // 2^12 + 1: splits an f32 into two 12-bit halves

// Zero, read at run time by the kernel from a buffer (see evaluate.wgsl). A rounded intermediate
// passes through an integer XOR with it: the value is unchanged, but the compiler can no longer
// apply algebra that holds for reals ((a + b) - a = b, t - (t - a) = a) and would erase the
// rounding errors these functions capture. Drivers do that (lavapipe's did, even through a
// multiplication by a run-time 1.0), and every result falls back to f32 precision.
var<private> dfZeroBits: u32;

fn opaque(x: f32) -> f32 {
  return bitcast<f32>(bitcast<u32>(x) ^ dfZeroBits);
}

fn dfTwoSum(a: f32, b: f32) -> vec2<f32> {
  let s = opaque(a + b);
  let bb = opaque(s - a);
  return vec2<f32>(s, (a - (s - bb)) + (b - bb));
}

fn dfQuickTwoSum(a: f32, b: f32) -> vec2<f32> {
  let s = opaque(a + b);
  return vec2<f32>(s, b - (s - a));
}

fn dfSplit(a: f32) -> vec2<f32> {
  let t = opaque(DF_SPLIT * a);
  let hi = t - opaque(t - a);
  return vec2<f32>(hi, a - hi);
}

fn dfTwoProd(a: f32, b: f32) -> vec2<f32> {
  let p = opaque(a * b);
  let sa = dfSplit(a);
  let sb = dfSplit(b);
  return vec2<f32>(p, ((sa.x * sb.x - p) + sa.x * sb.y + sa.y * sb.x) + sa.y * sb.y);
}

fn df(a: f32) -> vec2<f32> {
  return vec2<f32>(a, 0.0);
}

fn dfAdd(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = dfTwoSum(a.x, b.x);
  let t = dfTwoSum(a.y, b.y);
  let u = dfQuickTwoSum(s.x, s.y + t.x);
  return dfQuickTwoSum(u.x, u.y + t.y);
}

fn dfNeg(a: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(-a.x, -a.y);
}

fn dfSub(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return dfAdd(a, dfNeg(b));
}

fn dfMul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let p = dfTwoProd(a.x, b.x);
  return dfQuickTwoSum(p.x, p.y + (a.x * b.y + a.y * b.x));
}

fn dfMulF(a: vec2<f32>, b: f32) -> vec2<f32> {
  let p = dfTwoProd(a.x, b);
  return dfQuickTwoSum(p.x, p.y + a.y * b);
}

fn dfDiv(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let q1 = a.x / b.x;
  var r = dfSub(a, dfMulF(b, q1));
  let q2 = r.x / b.x;
  r = dfSub(r, dfMulF(b, q2));
  let q3 = r.x / b.x;
  return dfAdd(dfQuickTwoSum(q1, q2), df(q3));
}

// a u32 exactly: its high and low 16 bits are each exact in f32
fn dfFromU32(x: u32) -> vec2<f32> {
  return dfQuickTwoSum(f32(x & 0xffff0000u), f32(x & 0xffffu));
}

fn dfFromI32(x: i32) -> vec2<f32> {
  if (x < 0) {
    return dfNeg(dfFromU32(u32(-x)));
  }
  return dfFromU32(u32(x));
}

// a * 2^k for integer k, exact (both halves scaled; k split so that 2^k stays representable)
fn dfLdexp(a: vec2<f32>, k: i32) -> vec2<f32> {
  let k1 = k / 2;
  let f = pow2(k1) * pow2(k - k1);
  return vec2<f32>(a.x * f, a.y * f);
}

// sqrt(a) for a >= 0: the f32 root and one Newton step on the double-float residual a - s^2
fn dfSqrt(a: vec2<f32>) -> vec2<f32> {
  if (a.x <= 0.0) {
    return df(0.0);
  }
  let s = sqrt(a.x);
  let e = dfSub(a, dfTwoProd(s, s));
  return dfQuickTwoSum(s, e.x / (2.0 * s));
}

const DF_HALF_PI = vec2<f32>(1.5707963705062866, -4.371138828673793e-08);
const DF_LN2 = vec2<f32>(0.6931471824645996, -1.9046542121259336e-09);

// sin(t) for |t| <= pi/4: Taylor to t^23 (truncation below 1e-22)
fn dfSinSmall(t: vec2<f32>) -> vec2<f32> {
  let t2 = dfMul(t, t);
  var s = vec2<f32>(-3.868170297964731e-23, 1.2733404317146773e-30);
  s = dfAdd(dfMul(s, t2), vec2<f32>(1.9572941524685808e-20, -4.612945513820017e-28));
  s = dfAdd(dfMul(s, t2), vec2<f32>(-8.220635078476521e-18, -1.681478096855898e-25));
  s = dfAdd(dfMul(s, t2), vec2<f32>(2.8114573589663704e-15, -1.0462084739763658e-22));
  s = dfAdd(dfMul(s, t2), vec2<f32>(-7.647163609812713e-13, -1.2200710471178288e-20));
  s = dfAdd(dfMul(s, t2), vec2<f32>(1.6059044372074283e-10, -5.352526511562726e-18));
  s = dfAdd(dfMul(s, t2), vec2<f32>(-2.5052107943679403e-08, -4.4176230446483665e-16));
  s = dfAdd(dfMul(s, t2), vec2<f32>(2.7557318844628753e-06, 3.793571224297229e-14));
  s = dfAdd(dfMul(s, t2), vec2<f32>(-0.00019841270113829523, 2.725596874933456e-12));
  s = dfAdd(dfMul(s, t2), vec2<f32>(0.008333333767950535, -4.34617203337595e-10));
  s = dfAdd(dfMul(s, t2), vec2<f32>(-0.1666666716337204, 4.967053879312289e-09));
  return dfAdd(t, dfMul(dfMul(s, t2), t));
}

// cos(t) for |t| <= pi/4: Taylor to t^22
fn dfCosSmall(t: vec2<f32>) -> vec2<f32> {
  let t2 = dfMul(t, t);
  var c = vec2<f32>(-8.896790959566848e-22, -4.3288372034341836e-29);
  c = dfAdd(dfMul(c, t2), vec2<f32>(4.110317590937049e-19, 3.237511732860265e-27));
  c = dfAdd(dfMul(c, t2), vec2<f32>(-1.5619206814541513e-16, -1.5404471465941993e-24));
  c = dfAdd(dfMul(c, t2), vec2<f32>(4.7794772561329454e-14, 7.62544404448643e-22));
  c = dfAdd(dfMul(c, t2), vec2<f32>(-1.147074536050896e-11, -2.372207689231238e-19));
  c = dfAdd(dfMul(c, t2), vec2<f32>(2.0876755879584152e-09, 1.1082839147459852e-16));
  c = dfAdd(dfMul(c, t2), vec2<f32>(-2.755731998149713e-07, 7.575112209051195e-15));
  c = dfAdd(dfMul(c, t2), vec2<f32>(2.4801587642286904e-05, -3.40699609366682e-13));
  c = dfAdd(dfMul(c, t2), vec2<f32>(-0.0013888889225199819, 3.3631094437103215e-11));
  c = dfAdd(dfMul(c, t2), vec2<f32>(0.0416666679084301, -1.2417634698280722e-09));
  c = dfAdd(dfMul(c, t2), df(-0.5));
  return dfAdd(df(1.0), dfMul(c, t2));
}

// sin(pi/2 * p) for p in [0, 1], given q = 1 - p formed without cancellation
fn dfSinHalfPi(p: vec2<f32>, q: vec2<f32>) -> vec2<f32> {
  if (p.x <= 0.5) {
    return dfSinSmall(dfMul(p, DF_HALF_PI));
  }
  return dfCosSmall(dfMul(q, DF_HALF_PI));
}

// 2 atanh(s) for |s| <= 0.172: the series to s^25 (truncation below 1e-21)
fn dfTwoAtanh(s: vec2<f32>) -> vec2<f32> {
  let s2 = dfMul(s, s);
  var a = vec2<f32>(0.07999999821186066, 1.7881393032936899e-09);
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.08695652335882187, -1.6196913810162528e-09));
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.095238097012043, -1.7739477664591163e-09));
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.10526315867900848, -7.842716476247347e-10));
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.11764705926179886, -4.3826944851055316e-10));
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.13333334028720856, -6.95387525340152e-09));
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.1538461595773697, -5.7312159462696854e-09));
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.1818181872367859, -5.418604231977042e-09));
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.2222222238779068, -1.6556845894299954e-09));
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.2857142984867096, -1.277242400732348e-08));
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.4000000059604645, -5.9604645663569045e-09));
  a = dfAdd(dfMul(a, s2), vec2<f32>(0.6666666865348816, -1.9868215517249155e-08));
  a = dfAdd(dfMul(a, s2), df(2.0));
  return dfMul(a, s);
}

// natural log of x > 0: x = m * 2^k with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh((m-1)/(m+1))
fn dfLog(x: vec2<f32>) -> vec2<f32> {
  var v = x;
  var k = 0;
  if (v.x < 1.1754943508222875e-38) {
    v = dfLdexp(v, 24); // subnormal: scale into the normal range first
    k = -24;
  }
  let e = i32((bitcast<u32>(v.x) >> 23u) & 0xffu) - 127;
  k = k + e;
  var m = dfLdexp(v, -e);
  if (m.x > 1.4142135623730951) {
    m = dfLdexp(m, -1);
    k = k + 1;
  }
  let s = dfDiv(dfSub(m, df(1.0)), dfAdd(m, df(1.0)));
  return dfAdd(dfMulF(DF_LN2, f32(k)), dfTwoAtanh(s));
}

// log(1 - p) for p in [0, 1), given b = 1 - p formed without cancellation
fn dfLog1pNeg(p: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (p.x < 0.29) {
    // 1 - p = (1 - s) / (1 + s) with s = p / (2 - p)
    return dfNeg(dfTwoAtanh(dfDiv(p, dfSub(df(2.0), p))));
  }
  return dfLog(b);
}

// exp(r) - 1 for |r| <= 0.35: the series to r^14 (truncation below 1e-19)
fn dfExpm1Small(r: vec2<f32>) -> vec2<f32> {
  var e = vec2<f32>(1.147074536050896e-11, 2.372207689231238e-19);
  e = dfAdd(dfMul(e, r), vec2<f32>(1.6059044372074283e-10, -5.352526511562726e-18));
  e = dfAdd(dfMul(e, r), vec2<f32>(2.0876755879584152e-09, 1.1082839147459852e-16));
  e = dfAdd(dfMul(e, r), vec2<f32>(2.5052107943679403e-08, 4.4176230446483665e-16));
  e = dfAdd(dfMul(e, r), vec2<f32>(2.755731998149713e-07, -7.575112209051195e-15));
  e = dfAdd(dfMul(e, r), vec2<f32>(2.7557318844628753e-06, 3.793571224297229e-14));
  e = dfAdd(dfMul(e, r), vec2<f32>(2.4801587642286904e-05, -3.40699609366682e-13));
  e = dfAdd(dfMul(e, r), vec2<f32>(0.00019841270113829523, -2.725596874933456e-12));
  e = dfAdd(dfMul(e, r), vec2<f32>(0.0013888889225199819, -3.3631094437103215e-11));
  e = dfAdd(dfMul(e, r), vec2<f32>(0.008333333767950535, -4.34617203337595e-10));
  e = dfAdd(dfMul(e, r), vec2<f32>(0.0416666679084301, -1.2417634698280722e-09));
  e = dfAdd(dfMul(e, r), vec2<f32>(0.1666666716337204, -4.967053879312289e-09));
  e = dfAdd(dfMul(e, r), df(0.5));
  e = dfAdd(dfMul(e, r), df(1.0));
  return dfMul(e, r);
}

// ln 2 in three parts (Cody-Waite): k * LN2_A is exact for |k| < 512, and the rest carries
// ln 2 to ~70 bits, so that y - k ln 2 keeps double-float accuracy for any exponent f32 can hold
const LN2_A: f32 = 0.693145751953125;
const LN2_B: f32 = 1.428606765330187e-06;
const LN2_C: f32 = 5.497923148104107e-14;

// exp(y): y = k ln2 + r, |r| <= ln2/2, then scaling by 2^k. Results below ~1e-30 lose the low
// half (it would be an f32 subnormal).
fn dfExp(y: vec2<f32>) -> vec2<f32> {
  if (y.x > 88.72) {
    return df(bitcast<f32>(INF_BITS));
  }
  if (y.x < -103.0) {
    return df(0.0);
  }
  let k = round(y.x * 1.4426950216293335);
  var r = dfSub(y, df(k * LN2_A));
  r = dfSub(r, dfTwoProd(k, LN2_B));
  r = dfSub(r, df(k * LN2_C));
  return dfLdexp(dfAdd(df(1.0), dfExpm1Small(r)), i32(k));
}

// exp(y) - 1 without cancellation near 0
fn dfExpm1(y: vec2<f32>) -> vec2<f32> {
  if (abs(y.x) < 0.34) {
    return dfExpm1Small(y);
  }
  return dfSub(dfExp(y), df(1.0));
}

// (1 - b^e, b^e) for b = 1 - p (each formed without cancellation), e a double-float exponent
fn dfPowShape(b: vec2<f32>, p: vec2<f32>, e: vec2<f32>) -> array<vec2<f32>, 2> {
  if (e.x == 0.0 && e.y == 0.0) {
    return array<vec2<f32>, 2>(df(0.0), df(1.0));
  }
  if (b.x <= 0.0) {
    var m = df(0.0);
    if (b.x == 0.0) {
      if (e.x < 0.0) {
        m = df(bitcast<f32>(INF_BITS));
      }
    } else {
      m = dfExp(dfMul(e, dfLog(dfNeg(b))));
      if (fract(e.x * 0.5) != 0.0) {
        m = dfNeg(m);
      }
    }
    return array<vec2<f32>, 2>(dfSub(df(1.0), m), m);
  }
  let y = dfMul(e, dfLog1pNeg(p, b));
  return array<vec2<f32>, 2>(dfNeg(dfExpm1(y)), dfExp(y));
}
