// "Try it" on the capability page: pick an example, run it in the sandbox, see the output
// match the example's expected output; then edit the input and run again. Also the
// Overview "Try" button that opens the tab with the example preselected.
import { expect, test } from "@playwright/test";
import { hydrated } from "./e2e-env";

test("runs an example of unit-converter, then an edited input", async ({ page }) => {
  await page.goto("/marketplace/unit-converter");
  const tab = page.getByTestId("try-tab");
  await hydrated(tab);
  await tab.click();
  await expect(page).toHaveURL(/[?&]tab=try/);

  await expect(page.getByTestId("try-action")).toHaveValue("convert");
  await page.getByTestId("try-example").selectOption({ index: 1 });
  await expect(page.getByTestId("try-input-value")).toHaveValue("10");
  await expect(page.getByTestId("try-input-from")).toHaveValue("km");
  await expect(page.getByTestId("try-input-to")).toHaveValue("mi");

  await page.getByTestId("try-run").click();
  const result = page.getByTestId("try-result");
  await expect(result).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect(page.getByTestId("try-match")).toHaveAttribute("data-matches", "true");
  await expect(page.getByTestId("try-output")).toContainText("6.21371");

  // An edited input is no longer the example: it runs as given, with no comparison.
  await page.getByTestId("try-input-value").fill("5");
  await page.getByTestId("try-run").click();
  await expect(page.getByTestId("try-output")).toContainText("3.10686", { timeout: 20_000 });
  await expect(result).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("try-match")).toHaveCount(0);

  // Ctrl+Enter runs too.
  await page.getByTestId("try-input-value").fill("1");
  await page.getByTestId("try-input-value").press("Control+Enter");
  await expect(page.getByTestId("try-output")).toContainText("0.62137", { timeout: 20_000 });
});

test("the Overview's Try button opens the tab with that example preselected", async ({ page }) => {
  await page.goto("/marketplace/unit-converter");
  const button = page.getByTestId("example-try-1");
  await hydrated(button);
  await button.click();
  await expect(page).toHaveURL(/[?&]tab=try/);
  await expect(page.getByTestId("try-input-value")).toHaveValue("212");
  await expect(page.getByTestId("try-input-from")).toHaveValue("F");
  await page.getByTestId("try-run").click();
  await expect(page.getByTestId("try-result")).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect(page.getByTestId("try-match")).toHaveAttribute("data-matches", "true");
});

test("a workflow shows why it can't be tried instead of a form", async ({ page }) => {
  await page.goto("/marketplace/text-digest?tab=try");
  await expect(page.getByTestId("try-not-supported")).toBeVisible();
  await expect(page.getByTestId("try-run")).toHaveCount(0);
});
