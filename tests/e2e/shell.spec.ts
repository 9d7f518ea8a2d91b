// The app shell: navigation, theme preference, and signing out.
import { expect, test } from "@playwright/test";
import { adminStorageState } from "./e2e-env";

test("the sidebar marks the current page and navigates", async ({ page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  await nav.getByRole("link", { name: "Approvals" }).click();
  await expect(page).toHaveURL(/\/approvals$/);
  await expect(page.getByRole("heading", { name: "Approvals", level: 1 })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Approvals" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Overview" })).not.toHaveAttribute("aria-current", "page");
});

test("the theme choice applies at once and survives a reload", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/settings");
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await page.getByTestId("user-menu-button").click();
  await page.getByRole("radio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByTestId("user-menu-button").click();
  await expect(page.getByRole("radio", { name: "Dark" })).toHaveAttribute("aria-checked", "true");
  await page.getByRole("radio", { name: "System" }).click();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
});

test("signing out ends the session and returns to the sign-in page", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, storageState: adminStorageState() });
  try {
    const page = await context.newPage();
    await page.goto("/");
    await page.getByTestId("user-menu-button").click();
    await expect(page.getByTestId("user-menu-email")).toHaveText("admin@example.com");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/timeline");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Ftimeline$/);
  } finally {
    await context.close();
  }
});
