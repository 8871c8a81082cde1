import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { antdStaticStyles } from './antdStaticStyles.ts';

// The renderer runs under a strict CSP (no inline script, no eval, no remote fonts): the build
// emits only external module scripts and stylesheets; nothing here injects inline code.
const here = import.meta.dirname;

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), antdStaticStyles()],
  build: {
    outDir: `${here}/../dist/renderer`,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1' },
});
