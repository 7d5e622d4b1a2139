// schedgpu: the evaluate kernel, one tile of rows x steps into `out`. A workgroup computes a block of
// LANES * perInvocation consecutive steps of one row; invocation `lane` takes every LANES-th step
// from blockStart + lane, so neighbouring invocations write neighbouring values (coalesced stores
// on a GPU; on lavapipe a SIMD vector of invocations stays within one segment).

//!TILE_STRUCT

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let blockStart = tile.step0 + group.x * (LANES * tile.perInvocation);
  let t0 = blockStart + lane;
  let t1 = min(blockStart + LANES * tile.perInvocation, tile.step0 + tile.steps);
  if (group.y >= tile.rows || t0 >= t1) {
    return;
  }
  dfZeroBits = tile.zeroBits;
  evaluateSteps(tile.row0 + group.y, t0, t1, group.y * tile.steps + (t0 - tile.step0));
}
