// Shared settings of the end-to-end run. The data directory is created once by
// playwright.config.ts in the runner process; workers inherit it through the environment.
import path from "node:path";

export const ADMIN_EMAIL = "admin@example.com";
export const ADMIN_PASSWORD = "e2e-correct-horse-battery";

export function e2eDataDir(): string {
  const dir = process.env.CAPREG_E2E_DATA_DIR;
  if (!dir) throw new Error("CAPREG_E2E_DATA_DIR is not set: run the tests with `npx playwright test`");
  return dir;
}

/** Cookies of the admin signed in by auth.setup.ts. */
export function adminStorageState(): string {
  return path.join(e2eDataDir(), "admin-storage-state.json");
}
