// The playground: a static page built by Vite from playground/ into playground/dist, using the
// library's browser entry (src/browser.ts). WGSL files load as text, as in the Node build.
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  base: './',
  plugins: [
    {
      name: 'wgsl-as-text',
      enforce: 'pre',
      transform(code, id) {
        if (id.endsWith('.wgsl')) return { code: `export default ${JSON.stringify(code)};`, map: null };
      },
    },
  ],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  preview: { port: 5173 },
});
