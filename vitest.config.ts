import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// Test files: `*.test.ts` run in Node and in headless Chromium; `*.node.test.ts` only in Node
// (they read files, e.g. ../shared/data, or start servers).
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Pre-bundle every dependency the browser tests import, so Vite never reloads mid-run.
        optimizeDeps: {
          include: ['arquero', 'zod', '@uwdata/flechette', 'apache-arrow', 'ml-matrix', 'fast-check', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
        },
        test: {
          name: 'browser',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.node.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: chromium,
                args: [
                  '--headless',
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-quic',
                  '--no-first-run',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
