// The dashboard's build: React + uPlot into web/dist, which `gantry server` serves. It imports the
// deployment fold and event sentences from ../src, so the page and the CLI describe events alike.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://127.0.0.1:7070', '/metrics': 'http://127.0.0.1:7070' } },
});
