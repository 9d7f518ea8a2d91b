// The builder's drafts end to end: a draft autosaves (the URL gains ?draft=<id>) and a
// reload brings back its fields, method and step; leaving with unsaved changes asks first
// (Stay keeps the page, Leave goes); the manifest panel is two-way (editing the YAML's name
// changes the Basics field; an invalid edit shows its line and leaves the form alone).
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function openNew(page: Page) {
  await page.goto("/builder/new");
  const name = page.getByLabel("Name", { exact: true });
  await hydrated(name);
  return name;
}

test("a draft autosaves and survives a reload: fields, method and step", async ({ page }) => {
  const name = await openNew(page);
  const title = `Reload test ${unique()}`;
  await name.fill(title);
  await page.getByLabel("Description").fill("Survives a reload.");
  await page.getByRole("radiogroup", { name: "Method" }).getByRole("radio", { name: "Code" }).click();
  await page.getByRole("tablist", { name: "Steps" }).getByRole("tab", { name: "Configuration" }).click();
  await expect(page.getByTestId("draft-status")).toHaveText("Saved", { timeout: 15_000 });
  await expect(page).toHaveURL(/\/builder\/new\?draft=drf_[0-9a-z]{26}$/);

  await page.reload();
  await expect(page.getByRole("tab", { name: "Configuration" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("radio", { name: "Code" })).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("draft-status")).toHaveText("Saved");
  await page.getByRole("tab", { name: "Basics" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(title);
  await expect(page.getByLabel("Description")).toHaveValue("Survives a reload.");

  // It is listed on the Builder home, with its method.
  await page.goto("/builder");
  const item = page.getByRole("list", { name: "My drafts" }).getByRole("listitem").filter({ hasText: title });
  await expect(item).toBeVisible();
  await expect(item).toContainText("Code");
});

test("leaving with unsaved changes asks first: Stay keeps the page, Leave goes", async ({ page }) => {
  const name = await openNew(page);
  const marketplace = page.getByRole("navigation").getByRole("link", { name: "Marketplace" }).first();
  await hydrated(marketplace);

  await name.fill(`Leave test ${unique()}`);
  await expect(page.getByTestId("draft-status")).toHaveText(/Unsaved changes|Saving…/);
  await marketplace.click();
  const dialog = page.getByRole("dialog", { name: "Leave with unsaved changes?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Stay" }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/\/builder\/new/);

  await name.fill(`Leave test, again ${unique()}`);
  await marketplace.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Leave" }).click();
  await expect(page).toHaveURL(/\/marketplace$/);
});

test("the manifest panel is two-way: a YAML edit changes the form, an invalid one shows its line", async ({ page }) => {
  const name = await openNew(page);
  await name.fill("Panel test");
  const panel = page.getByRole("region", { name: "Manifest" });
  const text = panel.getByLabel("Manifest text");
  await expect(text).toHaveValue(/^name: Panel test$/m);

  const edited = (await text.inputValue()).replace(/^name: .*$/m, "name: Renamed in YAML");
  await text.fill(edited);
  await expect(name).toHaveValue("Renamed in YAML");

  // Invalid text: errors with their line; the form keeps its value.
  await text.fill(edited.replace(/^version: .*$/m, "version: [unclosed"));
  await expect(panel.getByRole("list", { name: "Text errors" })).toContainText(/line \d+/);
  await expect(name).toHaveValue("Renamed in YAML");

  // JSON view of the same state.
  await panel.getByRole("radio", { name: "JSON" }).click();
  await expect(text).toHaveValue(/"name": "Renamed in YAML"/);

  // A problem in the list takes the author to the field: clear the slug, click its problem.
  await name.fill("");
  await page.getByLabel("Slug").fill("");
  await panel.getByRole("button", { name: /^slug/ }).click();
  await expect(page.getByLabel("Slug")).toBeFocused();
});

test("two tabs on one draft: the stale one stops autosaving and offers a reload; a draft is deleted from the Builder home", async ({ page, context }) => {
  const name = await openNew(page);
  const title = `Conflict test ${unique()}`;
  await name.fill(title);
  await expect(page.getByTestId("draft-status")).toHaveText("Saved", { timeout: 15_000 });
  const url = page.url();

  const other = await context.newPage();
  await other.goto(url);
  const otherName = other.getByLabel("Name", { exact: true });
  await hydrated(otherName);
  await otherName.fill(`${title} (other tab)`);
  await expect(other.getByTestId("draft-status")).toHaveText("Saved", { timeout: 15_000 });

  // The first tab still holds the old revision: its next save is refused (409).
  await name.fill(`${title} (first tab)`);
  const alert = page.getByRole("alert").filter({ hasText: "This draft was saved elsewhere" });
  await expect(alert).toBeVisible({ timeout: 15_000 });
  await alert.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`${title} (other tab)`);
  await expect(page.getByTestId("draft-status")).toHaveText("Saved");
  await other.close();

  await page.goto("/builder");
  const item = page.getByRole("list", { name: "My drafts" }).getByRole("listitem").filter({ hasText: title });
  await hydrated(item.getByRole("button", { name: /^Delete draft/ }));
  await item.getByRole("button", { name: /^Delete draft/ }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this draft?" });
  await dialog.getByRole("button", { name: "Delete draft" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("listitem").filter({ hasText: title })).toHaveCount(0);
  await page.goto(url);
  await expect(page.getByText("That draft does not exist (or is not yours): this is a new one.")).toBeVisible();
});

test("Back with unsaved changes asks first (Stay keeps the page and its text, Leave goes back); once saved, Back just goes", async ({ page }) => {
  await page.goto("/marketplace");
  await hydrated(page.getByRole("navigation").getByRole("link", { name: "Marketplace" }).first());
  const name = await openNew(page);
  const title = `Back test ${unique()}`;
  await name.fill(title);
  await expect(page.getByTestId("draft-status")).toHaveText(/Unsaved changes|Saving…/);

  const dialog = page.getByRole("dialog", { name: "Leave with unsaved changes?" });
  await page.evaluate(() => history.back());
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Stay" }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/\/builder\/new/);
  await expect(name).toHaveValue(title);

  await name.fill(`${title}, again`);
  await page.evaluate(() => history.back());
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Leave" }).click();
  await expect(page).toHaveURL(/\/marketplace$/);

  // Saved: Back asks nothing and takes one press.
  const again = await openNew(page);
  await again.fill(`${title}, saved`);
  await expect(page.getByTestId("draft-status")).toHaveText("Saved", { timeout: 15_000 });
  await page.evaluate(() => history.back());
  await expect(page).toHaveURL(/\/marketplace$/);
  await expect(dialog).toBeHidden();
});

test("a reload also keeps the view: the selected action and the manifest panel's JSON", async ({ page }) => {
  await page.goto("/builder/new?method=code&step=actions");
  await hydrated(page.getByRole("button", { name: "Add action" }));
  await page.getByRole("button", { name: "Add action" }).click();
  await expect(page.getByLabel("Action id")).toHaveValue("action2");
  const panel = page.getByRole("region", { name: "Manifest" });
  await panel.getByRole("radio", { name: "JSON" }).click();
  await expect(panel.getByRole("radio", { name: "JSON" })).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("draft-status")).toHaveText("Saved", { timeout: 15_000 });
  await expect(page).toHaveURL(/\?.*draft=drf_/);

  await page.reload();
  await expect(page.getByLabel("Action id")).toHaveValue("action2");
  await expect(panel.getByRole("radio", { name: "JSON" })).toHaveAttribute("aria-checked", "true");
});
