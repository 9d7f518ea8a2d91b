// Sign-in through the form, its error message, and the session gate on pages.
import { expect, test } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./e2e-env";

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("visiting /timeline redirects to /login with a callback", async ({ page }) => {
    await page.goto("/timeline");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Ftimeline$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });

  test("a wrong password shows an error, the right one signs in and returns to the page", async ({ page }) => {
    await page.goto("/timeline");
    await expect(page).toHaveURL(/\/login/);
    await page.getByLabel("Email").fill(ADMIN_EMAIL);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toHaveText(/Wrong email or password/);
    await expect(page).toHaveURL(/\/login/);

    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/timeline$/);
    await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
    await expect(page.getByTestId("user-menu-button")).toContainText(ADMIN_EMAIL);
  });

  test("the API refuses a signed-out browser", async ({ request }) => {
    const res = await request.get("/api/me");
    expect(res.status()).toBe(401);
  });
});
