// Own f32 elementary functions for the curves. WGSL's builtins only promise loose bounds (cos:
// absolute 2^-11; exp/log/pow inherit exp2/log2's) and real drivers (and lavapipe's fast
// approximations) live near those bounds. These use exact range reduction (bit manipulation,
// Cody-Waite) and short polynomials whose truncation error is far below f32's; their measured
// error on dense grids is asserted by test/numerics.test.ts.

const HALF_PI: f32 = 1.5707963267948966;
const LN2_HI: f32 = 0.693145751953125;        // 15 significant bits: k * LN2_HI is exact
const LN2_LO: f32 = 1.4286068203094172e-6;    // ln 2 - LN2_HI
const LOG2_E: f32 = 1.4426950408889634;
// read at run time: WGSL refuses infinities and NaN in constant expressions
var<private> INF_BITS: u32 = 0x7f800000u;
var<private> NAN_BITS: u32 = 0x7fc00000u;

// sin(t) for |t| <= pi/4 (Taylor to t^9: truncation below 2e-9)
fn sinSmall(t: f32) -> f32 {
  let t2 = t * t;
  return t + t * t2 * (-0.16666666666666666 + t2 * (0.008333333333333333 + t2 * (-1.984126984126984e-4 + t2 * 2.755731922398589e-6)));
}

// cos(t) for |t| <= pi/4 (Taylor to t^10: truncation below 2e-10)
fn cosSmall(t: f32) -> f32 {
  let t2 = t * t;
  return 1.0 - 0.5 * t2 + t2 * t2 * (0.041666666666666664 + t2 * (-0.001388888888888889 + t2 * (2.48015873015873e-5 + t2 * -2.755731922398589e-7)));
}

// sin(pi/2 * p) for p in [0, 1], given q = 1 - p formed without cancellation by the caller
fn sinHalfPi(p: f32, q: f32) -> f32 {
  if (p <= 0.5) {
    return sinSmall(p * HALF_PI);
  }
  return cosSmall(q * HALF_PI);
}

// 2 * atanh(s) = log((1 + s) / (1 - s)) for |s| <= 0.172 (series to s^11: truncation below 1e-10)
fn twoAtanh(s: f32) -> f32 {
  let s2 = s * s;
  return s * (2.0 + s2 * (0.6666666666666666 + s2 * (0.4 + s2 * (0.2857142857142857 + s2 * (0.2222222222222222 + s2 * 0.18181818181818182)))));
}

// natural log for x > 0: x = m * 2^k with m in [sqrt(1/2), sqrt(2)) taken from the bits
fn logOwn(x: f32) -> f32 {
  if (!(x > 0.0)) {
    if (x == 0.0) {
      return -bitcast<f32>(INF_BITS);
    }
    return bitcast<f32>(NAN_BITS);
  }
  var v = x;
  var k = 0;
  if (v < 1.1754943508222875e-38) {
    v = v * 8388608.0; // subnormal: scale by 2^23 first
    k = -23;
  }
  let bits = bitcast<u32>(v);
  k = k + i32((bits >> 23u) & 0xffu) - 127;
  var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u);
  if (m > 1.4142135623730951) {
    m = m * 0.5;
    k = k + 1;
  }
  let fk = f32(k);
  return fk * LN2_HI + (fk * LN2_LO + twoAtanh((m - 1.0) / (m + 1.0)));
}

// log(1 + z) for z in (-1, inf); `onePlusZ` is 1 + z formed without cancellation by the caller
fn log1pOwn(z: f32, onePlusZ: f32) -> f32 {
  if (abs(z) < 0.29) {
    return twoAtanh(z / (2.0 + z));
  }
  return logOwn(onePlusZ);
}

// 2^k for k in [-126, 127], from its bits: ldexp is a call per SIMD lane on some drivers (lavapipe)
fn pow2(k: i32) -> f32 {
  return bitcast<f32>(u32(k + 127) << 23u);
}

// exp(y): y = k ln2 + r with |r| <= ln2 / 2 (Cody-Waite), polynomial to r^7 (truncation 6e-9)
fn expOwn(y: f32) -> f32 {
  return expOwnPair(vec2<f32>(y, 0.0));
}

// exp(hi + lo) for an argument carried as a double-float pair: the reduction keeps lo, so a large
// argument (a long exponential growth) keeps f32's relative accuracy in the result instead of
// losing |y| * 6e-8 to the argument's own rounding
fn expOwnPair(y: vec2<f32>) -> f32 {
  if (y.x > 88.72283) {
    return bitcast<f32>(INF_BITS);
  }
  if (y.x < -103.97208) {
    return 0.0;
  }
  let k = round(y.x * LOG2_E);
  let r = ((y.x - k * LN2_HI) - k * LN2_LO) + y.y;
  let e = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * (0.008333333333333333 + r * (0.001388888888888889 + r * 1.984126984126984e-4))))));
  // 2^k in two halves so that k down to -149 stays representable
  let k1 = i32(k) / 2;
  return e * pow2(k1) * pow2(i32(k) - k1);
}

// exp(y) - 1 without the cancellation near y = 0: the series to y^11 below ln 2 (truncation below
// 3e-11), exp(y) - 1 beyond, where the subtraction loses at most one bit
fn expm1Own(y: f32) -> f32 {
  if (abs(y) < 0.6931472) {
    return y * (1.0 + y * (0.5 + y * (0.16666666666666666 + y * (0.041666666666666664 + y * (0.008333333333333333 + y * (0.001388888888888889 + y * (1.984126984126984e-4 + y * (2.48015873015873e-5 + y * (2.7557319223985893e-6 + y * (2.755731922398589e-7 + y * 2.505210838544172e-8))))))))));
  }
  return expOwn(y) - 1.0;
}

// (1 - b^e, b^e) given b and p = 1 - b (each formed without cancellation by the caller), both
// accurate near b = 1 and near b = 0. Bases below 0 only come with an integer e (Python raises
// otherwise and the compilers refuse those steps).
fn powShape(b: f32, p: f32, e: f32) -> vec2<f32> {
  if (e == 0.0) {
    return vec2<f32>(0.0, 1.0);
  }
  if (b <= 0.0) {
    var m = 0.0;
    if (b == 0.0) {
      if (e < 0.0) {
        m = bitcast<f32>(INF_BITS);
      }
    } else {
      m = expOwn(e * logOwn(-b));
      if (fract(e * 0.5) != 0.0) {
        m = -m;
      }
    }
    return vec2<f32>(1.0 - m, m);
  }
  let y = e * log1pOwn(-p, b);
  return vec2<f32>(-expm1Own(y), expOwn(y));
}
