#!/usr/bin/env bash
# The webgpu benchmark on this machine's adapter, in minutes: the store-only and buffer-copy
# roofline, our kernel beside it (workloads b and c), then the webgpu cells of the matrix
# (bench/run.mjs --gpu-only; no cpu cells, no numpy or torch peers). Installs nothing beyond the
# project's own packages: it runs `npm ci && npm run build` first if dist/ is missing.
#   bench/gpu.sh            the full size list (1000 x 1e6 is the largest cell)
#   bench/gpu.sh --quick    three small sizes: under 5 minutes on lavapipe (a CPU adapter)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=""
rows=1000
steps=100000
if [[ "${1:-}" == "--quick" ]]; then
  quick="--quick"
  rows=200
fi
if [[ ! -f dist/index.js ]]; then
  [[ -d node_modules ]] || npm ci
  npm run build
fi
# Dawn's two "artificially reduced" warnings on opening an adapter are harmless
quiet() { grep -v '^Warning: max.*artificially reduced' >&2 || true; }
echo "== roofline and our kernel: $rows x $steps"
node bench/roofline.mjs "$rows" "$steps" 2> >(quiet)
echo "== webgpu cells (bench/run.mjs --gpu-only $quick)"
node bench/run.mjs --gpu-only $quick 2> >(quiet)
