import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 1500 },
  // The portal's files, and the API's protos for the unit tests (every enum value labelled).
  server: { fs: { allow: ['.', '../../protos'] } },
  test: { environment: 'happy-dom', include: ['src/**/*.test.ts'] },
});
