import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const shared = {
  loader: { '.wgsl': 'text' as const },
  define: { SCHEDGPU_VERSION: JSON.stringify(version) },
  target: 'node20',
  sourcemap: true,
};

export default defineConfig([
  // the library: ESM + CJS + .d.ts
  { ...shared, entry: { index: 'src/index.ts' }, format: ['esm', 'cjs'], dts: true, shims: true, clean: true },
  // the CLI and the CPU backend's worker thread
  // zod, yaml, commander and cli-progress are bundled in: resolving and reading zod's hundred-odd module files took
  // more of a command's start than running it (about 70 of 200 ms)
  {
    ...shared,
    entry: { cli: 'src/cli.ts', 'cpu-worker': 'src/backends/cpu-worker.ts' },
    format: ['esm'],
    noExternal: ['zod', 'yaml', 'commander', 'cli-progress'],
    // the CommonJS ones among them require Node's modules: give the bundle a require
    banner: {
      js: "import { createRequire as __schedgpuRequire } from 'node:module'; const require = __schedgpuRequire(import.meta.url);",
    },
  },
]);
