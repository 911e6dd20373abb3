// Builds the embedded admin (web/ → web/dist), served by the express app (server/http/admin-api/ui-route.ts).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Polaris is ~600 kB minified; one chunk loads fastest from our own server (one round trip, cached a year).
    chunkSizeWarningLimit: 2000,
  },
  logLevel: 'warn',
});
