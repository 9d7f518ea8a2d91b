// The marketplace end to end, as a person uses it: search with a typo, open a capability,
// install it on a new agent granting only part of what it asks, see the withheld
// permission and the disabled action on the agent page and the event in the timeline;
// install a capability with a secret; install one without configuration in at most three
// clicks; upload a broken manifest and read its error paths; approve a version in review.
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => Date.now().toString(36);


async function api(page: Page, baseURL: string | undefined, method: "POST" | "PATCH", path: string, data: unknown) {
  const res = await page.request.fetch(path, { method, data, headers: { Origin: baseURL ?? "" } });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return res.json();
}

test.describe.configure({ mode: "serial" });

let agentPath = "";

test("search forgives a typo, and a capability installs on a new agent with partial consent", async ({ page }) => {
  await page.goto("/marketplace");
  const search = page.getByTestId("marketplace-search");
  await hydrated(search);
  // "/" focuses the search box from anywhere on the page.
  await page.locator("h1").click();
  await page.keyboard.press("/");
  await expect(search).toBeFocused();
  await search.fill("wether");
  await expect(page).toHaveURL(/[?&]q=wether/);
  const results = page.locator('[data-testid="capability-grid"][data-q="wether"] [data-testid="capability-card"]');
  await expect(results.first()).toHaveAttribute("data-slug", "weather-lookup");
  await results.first().getByTestId("capability-card-link").click();

  await expect(page).toHaveURL(/\/marketplace\/weather-lookup/);
  await expect(page.getByRole("heading", { level: 1, name: "Weather Lookup" })).toBeVisible();
  await expect(page.getByTestId("capability-publisher")).toContainText("Verified publisher");

  await hydrated(page.getByTestId("install-button"));
  await page.getByTestId("install-button").click();
  const dialog = page.getByTestId("install-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByTestId("install-agent-select").selectOption({ label: "+ New agent…" });
  const agentName = `Weather bot ${unique()}`;
  await dialog.getByTestId("install-new-agent-name").fill(agentName);
  // Withhold network access: the one action needs it, so it will be disabled.
  await dialog.getByTestId("permission-checkbox-network.http.get").uncheck();
  await expect(dialog.getByTestId("disabled-actions-preview")).toContainText("Current weather");
  await expect(dialog.getByTestId("install-submit")).toHaveText("Grant 1 of 2 & install");
  await dialog.getByTestId("install-submit").click();

  await expect(dialog.getByTestId("install-success")).toContainText(`installed on ${agentName}`);
  await dialog.getByTestId("install-open-agent").click();
  await expect(page).toHaveURL(/\/agents\/agt_/);
  agentPath = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: agentName })).toBeVisible();

  const inst = page.locator('[data-testid="installation"][data-slug="weather-lookup"]');
  await expect(inst).toBeVisible();
  await expect(inst.locator('[data-testid="withheld-permission"][data-permission="network.http.get"]')).toBeVisible();
  await expect(inst.locator('[data-testid="granted-permission"][data-permission="compute.light"]')).toBeVisible();
  await expect(inst.locator('[data-testid="action"][data-action="current"]')).toHaveAttribute("data-disabled", "true");
  await expect(inst.getByTestId("action-disabled-reason")).toContainText("network.http.get");

  // The agent's stream in the timeline carries the installation.
  await page.getByTestId("agent-timeline-link").click();
  await expect(page).toHaveURL(/\/timeline\?streamType=agent&streamId=agt_/);
  const created = page.getByTestId("timeline-event").filter({ hasText: "installation.created" });
  await expect(created).toHaveCount(1);
  await expect(created).toContainText("weather-lookup 1.0.0 installed");
  await expect(created).toContainText("withheld network.http.get");
});

test("a capability with a secret: the form asks for it, and the agent page only says it is set", async ({ page }) => {
  expect(agentPath, "runs after the first test").not.toBe("");
  const agentId = agentPath.split("/").pop()!;
  await page.goto(`/marketplace/github?agent=${agentId}`);
  await hydrated(page.getByTestId("install-button"));
  await page.getByTestId("install-button").click();
  const dialog = page.getByTestId("install-dialog");
  // The agent named in the URL is preselected.
  await expect(dialog.getByTestId("install-agent-select")).toHaveValue(agentId);
  await dialog.getByTestId("permission-checkbox-network.http.post").uncheck();
  await expect(dialog.getByTestId("disabled-actions-preview")).toContainText("Open an issue");

  // Missing the required secret: the error is shown at the field.
  await dialog.getByTestId("install-submit").click();
  const token = dialog.getByTestId("config-field-GITHUB_TOKEN");
  await expect(token).toHaveAttribute("aria-invalid", "true");
  await expect(token).toHaveAttribute("type", "password");
  await expect(dialog.getByText("GitHub token is required.")).toBeVisible();

  const secret = `github_pat_e2e_${unique()}`;
  await token.fill(secret);
  await dialog.getByTestId("config-reveal-GITHUB_TOKEN").click();
  await expect(token).toHaveAttribute("type", "text");
  await dialog.getByTestId("install-submit").click();
  await expect(dialog.getByTestId("install-success")).toBeVisible();
  await dialog.getByTestId("install-open-agent").click();

  const inst = page.locator('[data-testid="installation"][data-slug="github"]');
  await expect(inst.locator('[data-testid="config-value"][data-key="GITHUB_TOKEN"]')).toContainText("set");
  await expect(inst.locator('[data-testid="action"][data-action="createIssue"]')).toHaveAttribute("data-disabled", "true");
  await expect(inst.locator('[data-testid="action"][data-action="listIssues"]')).toHaveAttribute("data-disabled", "false");
  await expect(page.getByText(secret)).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
});

test("a capability without configuration installs from its page in at most three clicks", async ({ page }) => {
  await page.goto("/marketplace/checksums");
  await hydrated(page.getByTestId("install-button"));
  let clicks = 0;
  const click = async (testId: string) => {
    clicks++;
    await page.getByTestId(testId).click();
  };
  await click("install-button");
  const dialog = page.getByTestId("install-dialog");
  const select = dialog.getByTestId("install-agent-select");
  await expect(select).toBeVisible();
  if ((await select.inputValue()) === "") {
    // Several agents and none preselected: picking one from the list is the extra step.
    clicks++;
    await select.selectOption({ index: 1 });
  } else if ((await select.inputValue()) === "__new") {
    await dialog.getByTestId("install-new-agent-name").fill(`Checksum bot ${unique()}`);
  }
  await expect(dialog.getByTestId("install-submit")).toBeEnabled();
  await click("install-submit");
  await expect(dialog.getByTestId("install-success")).toBeVisible();
  expect(clicks).toBeLessThanOrEqual(3);
});

test("uploading a broken YAML lists every error with its path; a valid one saves a draft", async ({ page }) => {
  await page.goto("/marketplace");
  await page.getByTestId("marketplace-upload-button").click();
  await expect(page).toHaveURL(/\/marketplace\/upload$/);
  await hydrated(page.getByTestId("upload-text"));

  const broken = [
    "slug: broken-upload",
    "name: Broken upload",
    "version: 1.0.0",
    "permissions: [network.http.get, network.teleport]",
    "allowed_domains: [api.example.com]",
    "actions:",
    "  - id: fetch",
    "    inputs:",
    "      - { name: city, type: string }",
    "      - { name: days, type: nubmer }",
    "    integration: { type: api, endpoint: https://api.example.com/x, method: GET }",
    "",
  ].join("\n");
  await page.getByTestId("upload-file-input").setInputFiles({ name: "broken.yaml", mimeType: "application/yaml", buffer: Buffer.from(broken) });

  const report = page.getByTestId("upload-report");
  await expect(report).toHaveAttribute("data-state", "invalid");
  const errors = report.getByTestId("upload-error");
  await expect(errors.filter({ hasText: "actions[0].inputs[1].type" })).toHaveCount(1);
  await expect(errors.filter({ hasText: "permissions[1]" })).toContainText("network.teleport");
  await expect(report.locator('[data-testid="upload-error"][data-path="actions[0].inputs[1].type"] code')).toHaveCSS("font-family", /mono/i);
  await expect(page.getByTestId("upload-save")).toBeDisabled();

  // Fixed, pasted: valid, and saved as a draft that opens its page.
  const slug = `upload-e2e-${unique()}`;
  const fixed = broken.replace("broken-upload", slug).replace(", network.teleport", "").replace("nubmer", "number");
  await page.getByTestId("upload-text").fill(fixed);
  await expect(report).toHaveAttribute("data-state", "valid");
  await expect(page.getByTestId("upload-verdict")).toContainText("Valid manifest");
  await page.getByTestId("upload-save").click();
  await expect(page).toHaveURL(new RegExp(`/marketplace/${slug}$`));
  await expect(page.getByTestId("draft-notice")).toBeVisible();
});

test("an admin approves a public version waiting in review on the capability page", async ({ page, baseURL }) => {
  const slug = `review-e2e-${unique()}`;
  const manifest = {
    slug,
    name: "Review Me",
    icon: "🧪",
    version: "1.0.0",
    description: "A capability published publicly so that it waits for an admin.",
    permissions: ["compute.light"],
    actions: [{ id: "echo", name: "Echo", inputs: [{ name: "text", type: "string" }], outputs: [{ name: "text", type: "string" }] }],
    source: "export default { actions: { async echo({ text }) { return { text }; } } };",
  };
  await page.goto("/marketplace");
  await api(page, baseURL, "POST", "/api/capabilities", { manifest });
  const version = await api(page, baseURL, "POST", `/api/capabilities/${slug}/versions`, { changelog: "First public release.", visibility: "public" });
  expect(version.reviewState).toBe("in_review");

  await page.goto(`/marketplace/${slug}`);
  const notice = page.getByTestId("review-notice");
  await expect(notice).toContainText("Version 1.0.0 is waiting for review");
  await hydrated(notice.getByTestId("approve-version-1.0.0"));
  await notice.getByTestId("approve-version-1.0.0").click();
  await expect(page.getByTestId("review-notice")).toHaveCount(0);
  await page.getByTestId("tab-versions").click();
  await expect(page.getByTestId("version-1.0.0")).toHaveAttribute("data-review", "approved");
});

test("an unknown capability is a 404 page", async ({ page }) => {
  const res = await page.goto("/marketplace/no-such-capability-here");
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId("capability-not-found")).toBeVisible();
});

test("a review is written, then edited in place (one per person)", async ({ page }) => {
  await page.goto("/marketplace/unit-converter?tab=reviews");
  const form = page.getByTestId("review-form");
  await hydrated(form.getByTestId("review-submit"));
  await form.getByTestId("star-4").check({ force: true });
  await form.getByTestId("review-body").fill("Converted our recipe units without fuss.");
  await form.getByTestId("review-submit").click();
  await expect(page.getByTestId("review")).toHaveCount(1);
  await expect(page.getByTestId("review")).toContainText("Converted our recipe units");
  await expect(page.getByTestId("rating-summary")).toContainText("4.0");

  await expect(form.getByTestId("review-submit")).toHaveText("Update review");
  await form.getByTestId("star-5").check({ force: true });
  await form.getByTestId("review-submit").click();
  await expect(page.getByTestId("rating-summary")).toContainText("5.0");
  await expect(page.getByTestId("review")).toHaveCount(1);
  await expect(page.getByTestId("capability-rating")).toContainText("(1 review)");
});
