import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The platform serves the build at /terminal/ (apps/platform/src/plugins/web-apps.ts). Everything,
// the decoders' .wasm included, is bundled into dist/: the app never loads anything from another host.
export default defineConfig({
  root: import.meta.dirname,
  base: '/terminal/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2048,
  },
  worker: { format: 'es' },
  server: {
    // `npm run dev -w @scanpay/terminal` next to `npm start`: the API stays on the platform.
    proxy: { '/v1': 'http://127.0.0.1:8080', '/health': 'http://127.0.0.1:8080' },
  },
});
