import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The dashboard is built into dist/web, which ships in the package: `sluice serve` serves those files
// and needs nothing else at run time.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The server sends a strict CSP (default-src 'self'): a data: URI for a small asset would be blocked.
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `npm run web:dev` beside a running `sluice serve` (default port 7420).
    proxy: { '/api': 'http://127.0.0.1:7420' },
  },
});
