// Shared settings of the end-to-end run. The data directory is created once by
// playwright.config.ts in the runner process; workers inherit it through the environment.
import path from "node:path";
import { expect, type Locator } from "@playwright/test";

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

/** Resolves once React has hydrated the element (its props are attached), so a click or key press reaches a handler. */
export async function hydrated(locator: Locator): Promise<void> {
  await expect(locator).toBeVisible();
  await expect.poll(() => locator.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactProps")))).toBe(true);
}
