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
  { ...shared, entry: { cli: 'src/cli.ts', 'cpu-worker': 'src/backends/cpu-worker.ts' }, format: ['esm'] },
]);
