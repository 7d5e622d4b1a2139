#!/bin/sh
# Bundle run.ts (TypeScript, with the test arbitraries and src/) and run it from the repository root.
# Arguments go to run.ts; see CONTRIBUTING.md ("The differential tool").
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# inside the repository (dist/ is ignored) so that node_modules resolves from the bundle
build=dist/differential
npx esbuild tools/differential/run.ts --bundle --platform=node --format=esm --target=node20 \
  --loader:.wgsl=text --define:SCHEDGPU_VERSION='"differential"' --packages=external \
  --outfile="$build/run.mjs" --log-level=warning
node "$build/run.mjs" "$@"
