// Publishing from the builder end to end: a new code capability is created and its first
// version published (private) through the registry's own routes; /builder/<slug> then
// reopens the draft, and the next publish suggests a patch bump because nothing a caller
// sees changed, and a minor one once an optional input is added.
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function publish(page: Page, expectedVersion: string, changelog: string) {
  await page.getByRole("button", { name: "Publish", exact: true }).first().click();
  const dialog = page.getByTestId("publish-dialog");
  await expect(dialog.getByText("The manifest is valid.")).toBeVisible();
  await expect(dialog.getByLabel("Version")).toHaveValue(expectedVersion);
  await dialog.getByLabel("Changelog").fill(changelog);
  await dialog.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(dialog.getByRole("status")).toContainText(`${expectedVersion} is published (private)`);
  await expect(dialog.getByRole("link", { name: "Open the capability page" })).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
}

test("publish a new code capability, then a patch and a minor version from /builder/<slug>", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/builder/new");
  const name = page.getByLabel("Name", { exact: true });
  await hydrated(name);
  const u = unique();
  await name.fill(`Publish test ${u}`);
  const slug = `publish-test-${u}`;
  await expect(page.getByLabel("Slug")).toHaveValue(slug);
  await expect(page.getByTestId("slug-status")).toHaveText("Available.");
  await page.getByRole("radio", { name: "Code" }).click();
  await expect(page.getByTestId("draft-status")).toHaveText("Saved", { timeout: 15_000 });

  await publish(page, "0.1.0", "First version.");
  await expect(page.getByTestId("slug-status")).toContainText("Your capability (latest 0.1.0)");
  await expect(page.getByTestId("draft-status")).toHaveText("Saved", { timeout: 15_000 });

  // The capability is mine: /builder/<slug> opens the same draft; nothing changed → patch.
  await page.goto(`/builder/${slug}`);
  await hydrated(page.getByLabel("Name", { exact: true }));
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`Publish test ${u}`);
  await publish(page, "0.1.1", "Same again.");

  // An optional input is an addition → minor.
  await page.getByRole("tab", { name: "Actions" }).click();
  await page.getByRole("button", { name: "Add input" }).click();
  await page.getByLabel("Inputs: name of input 2").fill("precision");
  await publish(page, "0.2.0", "An optional precision.");
  await expect(page.getByTestId("draft-status")).toHaveText("Saved", { timeout: 15_000 });

  // Listed among my capabilities with the latest version.
  await page.goto("/builder");
  const row = page.getByRole("list", { name: "My capabilities" }).getByRole("listitem").filter({ hasText: slug });
  await expect(row).toContainText("v0.2.0");
  await expect(row.getByRole("link", { name: `New version of Publish test ${u}` })).toHaveAttribute("href", `/builder/${slug}`);
});
