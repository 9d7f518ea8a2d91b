// End-to-end tests: Chromium against the production build, started exactly as users start
// it (`npx tsx scripts/start.ts`: build if needed, boot embedded Postgres, migrate, seed)
// on a fresh data directory for every run.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminStorageState } from "./tests/e2e/e2e-env";

const PORT = Number(process.env.E2E_PORT ?? 3300);
const PG_PORT = Number(process.env.E2E_PG_PORT ?? 55500);
const BASE_URL = `http://localhost:${PORT}`;

// Evaluated in the runner first, so the directory is created once and workers reuse it.
process.env.CAPREG_E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "capreg-e2e-"));
const DATA_DIR = process.env.CAPREG_E2E_DATA_DIR;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    {
      name: "chromium",
      testMatch: /.*\.spec\.ts/,
      dependencies: ["setup"],
      use: { browserName: "chromium", storageState: adminStorageState(), viewport: { width: 1440, height: 900 } },
    },
  ],
  webServer: {
    command: "npx tsx scripts/start.ts",
    url: `${BASE_URL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM lets start.ts stop Next and then the embedded Postgres cleanly.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      DATA_DIR,
      PORT: String(PORT),
      EMBEDDED_PG_PORT: String(PG_PORT),
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      LOG_LEVEL: "warn",
      // A build directory of its own, so a run never races another build of .next.
      NEXT_DIST_DIR: process.env.E2E_NEXT_DIST_DIR ?? ".next-e2e",
    },
  },
});
