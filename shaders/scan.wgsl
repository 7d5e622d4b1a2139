// schedgpu: inclusive scan of x_i = a * x_(i-1) + b_i (x_(-1) = 0) with a constant a: a running sum
// when a = 1, the annealing momentum of the LR scaling law when a = lambda. A blocked scan:
// `scanBlocks` scans each block of 256 in workgroup memory (Hillis-Steele) and writes its total;
// the totals are scanned the same way (one level up, with a^256); `addCarry` then adds each block's
// incoming value times a^(j + 1). Values are double-float pairs; math.wgsl and df.wgsl are prepended;
// the //! lines are replaced by the ScanParams struct and the bindings declared in src/stats/layout.ts.

//!PARAMS_STRUCT

//!BINDINGS

const BLOCK: u32 = 256u;
var<workgroup> block: array<vec2<f32>, 256>;

fn groupIndex(wid: vec3<u32>) -> u32 {
  return wid.x + wid.y * scan.groupsX;
}

// a^k for the level's a (exactly 1 when a = 1)
fn powA(k: u32) -> f32 {
  if (scan.lnA == 0.0) {
    return 1.0;
  }
  return exp(f32(k) * scan.lnA);
}

@compute @workgroup_size(256)
fn prepare(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dfZeroBits = scan.zeroBits;
  let i = groupIndex(wid) * BLOCK + lid;
  if (i >= scan.n) {
    return;
  }
  if (scan.mode == 0u) {
    data[i] = vec2<f32>(source[i], 0.0);
  } else if (i == 0u) {
    data[i] = vec2<f32>(0.0, 0.0);
  } else {
    data[i] = dfTwoSum(source[i - 1u], -source[i]);
  }
}

@compute @workgroup_size(256)
fn scanBlocks(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dfZeroBits = scan.zeroBits;
  let g = groupIndex(wid);
  let i = g * BLOCK + lid;
  var x = vec2<f32>(0.0, 0.0);
  if (i < scan.n) {
    x = data[i];
  }
  block[lid] = x;
  workgroupBarrier();
  for (var d = 1u; d < BLOCK; d = d * 2u) {
    var carried = vec2<f32>(0.0, 0.0);
    if (lid >= d) {
      carried = dfMulF(block[lid - d], powA(d));
    }
    workgroupBarrier();
    if (lid >= d) {
      block[lid] = dfAdd(block[lid], carried);
    }
    workgroupBarrier();
  }
  if (i < scan.n) {
    data[i] = block[lid];
  }
  if (lid == BLOCK - 1u) {
    totals[g] = block[lid];
  }
}

// totals[g - 1] holds the scanned value at the end of block g - 1 (the level above, scanned)
@compute @workgroup_size(256)
fn addCarry(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dfZeroBits = scan.zeroBits;
  let g = groupIndex(wid);
  let i = g * BLOCK + lid;
  if (g == 0u || i >= scan.n) {
    return;
  }
  data[i] = dfAdd(data[i], dfMulF(totals[g - 1u], powA(lid + 1u)));
}
