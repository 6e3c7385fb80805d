import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      'isolab:lesson-index': here('./src/lessons/source-index.ts'),
      'isolab:checkers': here('./src/verify/source-checkers.ts'),
    },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}', 'checkers/**/*.test.ts'],
    // Lane tests run inside the real-kernel guests (test/lanes.test.ts boots them), never on the host.
    exclude: ['**/node_modules/**', '**/*.{v2,container,systemd,lab}.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Live tests change kernel state; files run one at a time so they do not race each other.
    fileParallelism: false,
  },
});
