// Self-service sign-up, what a member may see, and the admin's sign-up switch.
import { expect, test } from "@playwright/test";

test.describe("a new member", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("signs up, lands on the overview, and gets no admin controls", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("link", { name: "Create an account" }).click();
    await expect(page).toHaveURL(/\/signup$/);

    await page.getByLabel("Name").fill("Mia Member");
    await page.getByLabel("Email").fill(`mia-${Date.now()}@example.com`);
    await page.getByLabel("Password").fill("too-short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Use at least 10 characters.")).toBeVisible();

    await page.getByLabel("Password").fill("a-long-enough-passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Welcome back, Mia" })).toBeVisible();

    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
    await expect(page.getByText("Member", { exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Users" })).toHaveCount(0);
    await expect(page.getByRole("switch", { name: "Allow self-service sign-up" })).toBeDisabled();

    await page.goto("/settings/tokens");
    await page.getByRole("button", { name: "Create token" }).first().click();
    await expect(page.getByRole("checkbox", { name: "events:read", exact: true })).toBeVisible();
    await expect(page.getByRole("checkbox", { name: "admin", exact: true })).toHaveCount(0);
  });
});

test("an admin turns sign-up off, and the sign-in page stops offering it", async ({ page, browser, baseURL }) => {
  await page.goto("/settings");
  const toggle = page.getByRole("switch", { name: "Allow self-service sign-up" });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(page.getByText("Sign-up turned off")).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "false");

  const visitor = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  try {
    const anon = await visitor.newPage();
    await anon.goto("/login");
    await expect(anon.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(anon.getByRole("link", { name: "Create an account" })).toHaveCount(0);
    await anon.goto("/signup");
    await expect(anon.getByRole("heading", { name: "Sign-up is turned off" })).toBeVisible();
  } finally {
    await visitor.close();
  }

  await page.reload();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
});
