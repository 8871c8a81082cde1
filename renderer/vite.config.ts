import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { antdStaticStyles } from './antdStaticStyles.ts';

// The renderer runs under a strict CSP (no inline script, no eval, no remote fonts): the build
// emits only external module scripts and stylesheets; nothing here injects inline code.
const here = import.meta.dirname;

/**
 * src/early.ts is an entry of its own, loaded by a script tag ahead of the main bundle: small, so
 * it runs (opening the desk's socket and sending the first calls) while the main bundle still
 * loads. Vite would merge a second script of index.html into the main entry, hence this plugin.
 */
function earlyScript(): Plugin {
  return {
    name: 'desk:early-script',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = ctx.bundle
          ? Object.values(ctx.bundle).find((c) => c.type === 'chunk' && c.isEntry && c.name === 'early')
          : undefined;
        const src = chunk ? `./${chunk.fileName}` : '/src/early.ts';
        return [
          { tag: 'script', attrs: { type: 'module', crossorigin: true, src }, injectTo: 'head-prepend' },
        ];
      },
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), antdStaticStyles(), earlyScript()],
  build: {
    outDir: `${here}/../dist/renderer`,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    modulePreload: { polyfill: false },
    rollupOptions: { input: { index: `${here}/index.html`, early: `${here}/src/early.ts` } },
  },
  server: { host: '127.0.0.1' },
});
