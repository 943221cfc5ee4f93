import { defineConfig } from "vitest/config";

// The app's end-to-end tests: headless Chromium (playwright-core, the machine's chromium) against
// one real local stack (the jar) that global-setup starts for all of them; users isolate tests.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    environment: "node",
    // One browser and one stack: files and tests one after another, so timings stay meaningful.
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
