// Agents end to end: create and rename an agent; on an installation, disable and enable
// it, change its configuration and consent, answer an upgrade that asks for a new
// permission (the diff, the new setting), roll back in one click, and uninstall; and see
// an uninstall refused, with the reason, while another installation needs it.
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;


async function api<T = Record<string, unknown>>(page: Page, baseURL: string | undefined, method: "POST" | "PATCH", path: string, data: unknown): Promise<T> {
  const res = await page.request.fetch(path, { method, data, headers: { Origin: baseURL ?? "" } });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

function notesManifest(slug: string, version: "1.0.0" | "1.1.0") {
  const v2 = version === "1.1.0";
  return {
    slug,
    name: "Notes Keeper",
    icon: "🗒️",
    version,
    category: "productivity",
    description: "Reads (and from 1.1.0 writes) notes in the capability's own store.",
    permissions: v2 ? ["data.read", "data.write"] : ["data.read"],
    configuration: [{ key: "GREETING", label: "Greeting", type: "string" }, ...(v2 ? [{ key: "LIMIT", label: "Limit", type: "number", required: true }] : [])],
    actions: [
      { id: "read", name: "Read a note", permissions: ["data.read"], inputs: [{ name: "key", type: "string", required: true }], outputs: [{ name: "value", type: "string" }] },
      ...(v2 ? [{ id: "write", name: "Write a note", permissions: ["data.write"], inputs: [{ name: "key", type: "string", required: true }, { name: "value", type: "string", required: true }], outputs: [] }] : []),
    ],
    source: `export default { actions: { async read({ key }, ctx) { return { value: await ctx.kv.get(key) }; }${v2 ? ", async write({ key, value }, ctx) { await ctx.kv.set(key, value); return {}; }" : ""} } };`,
  };
}

test("create an agent, rename it, and find it in the list", async ({ page }) => {
  await page.goto("/agents");
  await hydrated(page.getByTestId("new-agent-button").first());
  await page.getByTestId("new-agent-button").first().click();
  const name = `Support assistant ${unique()}`;
  await page.getByTestId("agent-name-input").fill(name);
  await page.getByTestId("agent-description-input").fill("Answers customer questions.");
  await page.getByTestId("agent-form-submit").click();
  await expect(page).toHaveURL(/\/agents\/agt_/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("Nothing installed yet")).toBeVisible();

  await page.getByTestId("edit-agent-button").click();
  await page.getByTestId("agent-name-input").fill(`${name} (renamed)`);
  await page.getByTestId("agent-form-submit").click();
  await expect(page.getByRole("heading", { level: 1, name: `${name} (renamed)` })).toBeVisible();

  await page.goto("/agents");
  const card = page.getByTestId("agent-card").filter({ hasText: `${name} (renamed)` });
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId("agent-installation-count")).toHaveText("0");
});

test("an installation is disabled, configured, consented, upgraded, rolled back and uninstalled", async ({ page, baseURL }) => {
  await page.goto("/agents");
  const slug = `notes-${unique()}`;
  await api(page, baseURL, "POST", "/api/capabilities", { manifest: notesManifest(slug, "1.0.0") });
  await api(page, baseURL, "POST", `/api/capabilities/${slug}/versions`, { changelog: "First release.", visibility: "private" });
  const agent = await api<{ id: string }>(page, baseURL, "POST", "/api/agents", { name: `Notes agent ${unique()}` });
  await api(page, baseURL, "POST", `/api/agents/${agent.id}/installations`, { capability: slug, grantedPermissions: ["data.read"], config: { GREETING: "hello" } });

  await page.goto(`/agents/${agent.id}`);
  const inst = page.locator(`[data-testid="installation"][data-slug="${slug}"]`);
  await expect(inst).toContainText("v1.0.0");
  await expect(inst.locator('[data-testid="config-value"][data-key="GREETING"]')).toContainText("hello");
  await hydrated(inst.getByRole("switch"));

  // Disable, then enable again.
  await inst.getByRole("switch").click();
  await expect(inst).toHaveAttribute("data-enabled", "false");
  await expect(inst.getByTestId("flag-disabled")).toBeVisible();
  await inst.getByRole("switch").click();
  await expect(inst).toHaveAttribute("data-enabled", "true");

  // Change the configuration.
  await inst.getByTestId("edit-config").click();
  const configDialog = inst.getByTestId("config-dialog");
  await configDialog.getByTestId("config-field-GREETING").fill("good morning");
  await configDialog.getByTestId("config-save").click();
  await expect(inst.locator('[data-testid="config-value"][data-key="GREETING"]')).toContainText("good morning");

  // Withhold the one permission: the action that needs it is disabled.
  await inst.getByTestId("edit-permissions").click();
  const permDialog = inst.getByTestId("permissions-dialog");
  await permDialog.getByTestId("edit-permission-checkbox-data.read").uncheck();
  await expect(permDialog.getByTestId("disabled-actions-preview")).toContainText("Read a note");
  await permDialog.getByTestId("permissions-save").click();
  await expect(inst.locator('[data-testid="withheld-permission"][data-permission="data.read"]')).toBeVisible();
  await expect(inst.locator('[data-testid="action"][data-action="read"]')).toHaveAttribute("data-disabled", "true");

  // 1.1.0 asks for data.write and a new required setting.
  await api(page, baseURL, "POST", `/api/capabilities/${slug}/versions`, { manifest: notesManifest(slug, "1.1.0"), changelog: "Writes notes too.", visibility: "private" });
  await page.reload();
  await expect(inst.getByTestId("upgrade-button")).toContainText("1.1.0");
  await hydrated(inst.getByTestId("upgrade-button"));
  await inst.getByTestId("upgrade-button").click();
  const upgrade = inst.getByTestId("upgrade-dialog");
  await expect(upgrade.getByTestId("diff-added")).toContainText("data.write");
  await expect(upgrade.getByTestId("upgrade-permission-checkbox-data.write")).toBeChecked();
  await upgrade.getByTestId("upgrade-submit").click();
  // LIMIT is required and new: asked for, at its field.
  await expect(upgrade.getByTestId("config-field-LIMIT")).toHaveAttribute("aria-invalid", "true");
  await upgrade.getByTestId("config-field-LIMIT").fill("5");
  await upgrade.getByTestId("upgrade-submit").click();
  await expect(upgrade).toBeHidden();
  await expect(inst).toContainText("v1.1.0");
  await expect(inst.locator('[data-testid="config-value"][data-key="LIMIT"]')).toContainText("5");
  await expect(inst.locator('[data-testid="config-value"][data-key="GREETING"]')).toContainText("good morning");

  // One click back.
  await inst.getByTestId("rollback-button").click();
  await expect(inst).toContainText("v1.0.0");
  await expect(inst.getByTestId("rollback-button")).toContainText("Roll back to 1.1.0");

  // Uninstall, confirmed.
  await inst.getByTestId("uninstall-button").click();
  await inst.getByTestId("uninstall-confirm").click();
  await expect(inst).toHaveCount(0);
  await expect(page.getByText("Nothing installed yet")).toBeVisible();
});

test("an upgrade that waits for consent shows on the agent and can be cancelled", async ({ page, baseURL }) => {
  await page.goto("/agents");
  const slug = `notes-${unique()}`;
  await api(page, baseURL, "POST", "/api/capabilities", { manifest: notesManifest(slug, "1.0.0") });
  await api(page, baseURL, "POST", `/api/capabilities/${slug}/versions`, { changelog: "First release.", visibility: "private" });
  const agent = await api<{ id: string }>(page, baseURL, "POST", "/api/agents", { name: `Drift agent ${unique()}` });
  const installed = await api<{ installation: { id: string } }>(page, baseURL, "POST", `/api/agents/${agent.id}/installations`, { capability: slug, grantedPermissions: ["data.read"] });
  await api(page, baseURL, "POST", `/api/capabilities/${slug}/versions`, { manifest: notesManifest(slug, "1.1.0"), changelog: "Writes notes too.", visibility: "private" });
  const answer = await api<{ status: string }>(page, baseURL, "PATCH", `/api/agents/${agent.id}/installations/${installed.installation.id}`, { upgradeTo: "1.1.0" });
  expect(answer.status).toBe("needs_consent");

  await page.goto(`/agents/${agent.id}`);
  const inst = page.locator(`[data-testid="installation"][data-slug="${slug}"]`);
  await expect(inst.getByTestId("flag-needs-consent")).toBeVisible();
  await expect(inst.getByTestId("pending-upgrade")).toContainText("data.write");
  await hydrated(inst.getByTestId("cancel-upgrade"));
  await inst.getByTestId("cancel-upgrade").click();
  await expect(inst.getByTestId("pending-upgrade")).toHaveCount(0);
  await expect(inst).toContainText("v1.0.0");
});

test("uninstalling a dependency another installation needs is refused, with the reason", async ({ page, baseURL }) => {
  await page.goto("/agents");
  const agent = await api<{ id: string }>(page, baseURL, "POST", "/api/agents", { name: `Digest agent ${unique()}` });
  // Text Digest needs text-utils, markdown-to-html and checksums: low risk, installed along.
  await api(page, baseURL, "POST", `/api/agents/${agent.id}/installations`, { capability: "text-digest", grantedPermissions: ["compute.light"] });

  await page.goto(`/agents/${agent.id}`);
  await expect(page.getByTestId("installation")).toHaveCount(4);
  const dep = page.locator('[data-testid="installation"][data-slug="text-utils"]');
  await expect(dep).toContainText("installed as a dependency of Text Digest");
  await hydrated(dep.getByTestId("uninstall-button"));
  await dep.getByTestId("uninstall-button").click();
  const dialog = dep.getByTestId("uninstall-dialog");
  await expect(dialog).toContainText("Text Digest requires it");
  await expect(dialog.getByTestId("uninstall-confirm")).toBeDisabled();
});
