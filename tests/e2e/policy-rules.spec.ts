// The policy rules editor end to end: an admin adds a rule with the form (a mistake is
// shown at its field first), sees it in the ordered list, in the YAML and in the history,
// then breaks the YAML and sees the error with its path and line; nothing broken is saved.
import { expect, test } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

test("an admin adds a rule with the form, sees it listed, and sees a YAML error with its path and line", async ({ page }) => {
  await page.goto("/approvals/rules");
  await expect(page.getByRole("heading", { level: 1, name: "Policy rules" })).toBeVisible();
  const add = page.getByRole("button", { name: "Add rule" }).first();
  await hydrated(add);
  await add.click();

  const dialog = page.getByTestId("add-rule-dialog");
  const id = `e2e-crm-${unique()}`;
  await dialog.getByLabel("Rule id").fill(id);
  await dialog.getByLabel("Capability", { exact: true }).fill("Not A Slug!");
  await dialog.getByTestId("add-rule-submit").click();
  await expect(dialog.getByText(/expected a capability slug/)).toBeVisible();

  await dialog.getByLabel("Capability", { exact: true }).fill("crm-*");
  await dialog.getByLabel("Description", { exact: true }).fill("CRM changes need an admin");
  await dialog.getByLabel("Permission", { exact: true }).selectOption("integration.crm");
  await dialog.getByRole("checkbox", { name: "high", exact: true }).check();
  await dialog.getByRole("checkbox", { name: "critical", exact: true }).check();
  await dialog.getByRole("radio", { name: /Needs approval/ }).check();
  await dialog.getByLabel("Approver", { exact: true }).selectOption("admin");
  await dialog.getByTestId("add-rule-submit").click();
  await expect(dialog).toBeHidden();

  const item = page.getByTestId("rule-item").filter({ hasText: id });
  // Exactly one rule with this id once the list settles (a re-render may briefly show the old list too).
  await expect(item).toHaveCount(1);
  await expect(item).toBeVisible();
  await expect(item.getByText("Needs approval")).toBeVisible();
  await expect(item.getByText("integration.crm")).toBeVisible();
  await expect(item.getByText("high | critical")).toBeVisible();
  await expect(page.getByText(/^Saved version \d+$/)).toBeVisible();
  await expect(page.getByTestId("rule-history").getByText(`Added rule ${id}`)).toBeVisible();
  const editor = page.getByLabel("Rules as YAML");
  await expect(editor).toHaveValue(new RegExp(`- id: ${id}\\n`));
  await expect(editor).toHaveValue(/permission: integration\.crm/);

  // A broken document: the error names its path and line, and neither Validate nor Save stores it.
  await editor.fill(`rules:\n  - id: ${id}\n    match:\n      risk: extreme\n    effect: allow\n`);
  await page.getByRole("button", { name: "Validate" }).click();
  const errors = page.getByTestId("yaml-errors");
  await expect(errors).toContainText("rules[0].match.risk[0]");
  await expect(errors).toContainText("line 4");
  await page.getByRole("button", { name: /^Save as version/ }).click();
  await expect(errors).toContainText("rules[0].match.risk[0]");

  await page.reload();
  const again = page.getByTestId("rule-item").filter({ hasText: id });
  await expect(again).toHaveCount(1);
  await expect(again).toBeVisible();
  await expect(again.getByText("Needs approval")).toBeVisible();
  await expect(page.getByLabel("Rules as YAML")).not.toHaveValue(/extreme/);
});

test("a save that crosses another admin's save is refused with the version that won, and Reload shows it", async ({ page, baseURL }) => {
  await page.goto("/approvals/rules");
  const editor = page.getByLabel("Rules as YAML");
  await hydrated(page.getByRole("button", { name: "Validate" }));
  const mine = `mine-${unique()}`;
  await editor.fill(`rules:\n  - id: ${mine}\n    match: { what: publish }\n    effect: deny\n`);

  // Meanwhile another admin (the API, same account) saves a version.
  const theirs = `theirs-${unique()}`;
  const current = await (await page.request.get("/api/policy/rules")).json();
  const res = await page.request.put("/api/policy/rules", { data: { rules: [...current.rules, { id: theirs, match: { what: "revoke" }, effect: "allow" }], comment: "their change", expectedVersion: current.version }, headers: { Origin: baseURL ?? "" } });
  expect(res.status()).toBe(200);
  const theirVersion = (await res.json()).version as number;

  await page.getByRole("button", { name: /^Save as version/ }).click();
  const conflict = page.getByTestId("rules-conflict");
  await expect(conflict).toContainText(`Someone else saved version ${theirVersion}`);
  await conflict.getByRole("button", { name: "Reload" }).click();
  await expect(conflict).toBeHidden();
  await expect(page.getByTestId("rule-item").filter({ hasText: theirs })).toBeVisible();
  await expect(page.getByTestId("rule-item").filter({ hasText: mine })).toHaveCount(0);
  await expect(page.getByTestId("rules-version-line")).toContainText(`Version ${theirVersion}`);
});
