import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { manifestFor, type TargetBrowser } from './manifest.config.ts';

// `vite build --mode chrome` → dist/chrome (service worker); `--mode firefox` → dist/firefox
// (crxjs turns the worker into background scripts).
export default defineConfig(({ mode }) => {
  const browser: TargetBrowser = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [preact(), crx({ manifest: manifestFor(browser), browser })],
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      // Pages the manifest does not name: the first-run welcome page (opened by the background).
      rolldownOptions: { input: { welcome: 'src/welcome/index.html' } },
    },
    server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
  };
});
