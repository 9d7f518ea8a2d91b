// Executions end to end, against the production server with its executor processes:
// install unit-converter on an agent, run it from the agent page's Run panel, see the
// output, open its execution page; install text-digest (a workflow: its dependencies are
// installed along), run it, and see its step graph with four succeeded steps and a step's
// output; the executions list updates live when an agent invokes over the API; the
// timeline shows the execution's events linked to its page; the overview's executor card
// is healthy.
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function api<T = Record<string, unknown>>(page: Page, baseURL: string | undefined, method: "POST" | "PATCH", path: string, data: unknown): Promise<T> {
  const res = await page.request.fetch(path, { method, data, headers: { Origin: baseURL ?? "" } });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

async function agentWith(page: Page, baseURL: string | undefined, capability: string): Promise<string> {
  const agent = await api<{ id: string }>(page, baseURL, "POST", "/api/agents", { name: `Runner ${unique()}` });
  await api(page, baseURL, "POST", `/api/agents/${agent.id}/installations`, { capability, grantedPermissions: ["compute.light"] });
  return agent.id;
}

test.describe.configure({ mode: "serial" });

let convertExecution = "";
let convertAgent = "";

test("run unit-converter from the agent page and open its execution", async ({ page, baseURL }) => {
  convertAgent = await agentWith(page, baseURL, "unit-converter");
  await page.goto(`/agents/${convertAgent}`);
  const panel = page.getByTestId("run-panel");
  await hydrated(panel.getByTestId("run-action"));
  await expect(panel.getByTestId("run-action")).toHaveValue("unit-converter.convert");

  // A required input left empty is caught before anything runs.
  await panel.getByTestId("run-submit").click();
  await expect(panel.getByText("Required.").first()).toBeVisible();
  await expect(panel.getByTestId("run-result")).toHaveCount(0);

  await panel.getByTestId("run-input-value").fill("10");
  await panel.getByTestId("run-input-from").fill("km");
  await panel.getByTestId("run-input-to").fill("mi");
  await panel.getByTestId("run-submit").click();
  const result = panel.getByTestId("run-result");
  await expect(result).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(panel.getByTestId("run-output")).toContainText("6.21371");
  await expect(panel.getByTestId("run-output")).toContainText('"quantity": "length"');

  // A plugin error comes back as a failed execution with the plugin's message.
  await panel.getByTestId("run-input-to").fill("parsec");
  await panel.getByTestId("run-input-to").press("Control+Enter");
  await expect(result).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  await expect(panel.getByTestId("execution-error-message")).toContainText('unknown unit "parsec"');

  // Back to the good run's page through the link of a fresh successful run.
  await panel.getByTestId("run-input-to").fill("mi");
  await panel.getByTestId("run-submit").click();
  await expect(result).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await result.getByTestId("run-execution-link").click();
  await expect(page).toHaveURL(/\/executions\/exe_[0-9a-z]{26}$/);
  convertExecution = page.url().split("/").pop()!;

  await expect(page.getByTestId("execution-title")).toHaveText("unit-converter.convert");
  await expect(page.getByTestId("execution-header")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("execution-output")).toContainText("6.21371");
  await expect(page.getByTestId("execution-input")).toContainText('"from": "km"');
  await expect(page.getByTestId("execution-correlation")).toHaveText(/^cor_[0-9a-z]{26}$/);
  await expect(page.getByTestId("execution-duration")).toHaveText(/ms|s$/);
  await expect(page.getByTestId("execution-resources")).toContainText("Wall time");
  const events = page.getByTestId("execution-event");
  await expect(events.filter({ hasText: "execution.started" })).toHaveCount(1);
  await expect(events.filter({ hasText: "execution.succeeded" })).toHaveCount(1);
  await expect(events.filter({ hasText: "execution.succeeded" })).toContainText("unit-converter.convert succeeded in");
  await expect(page.getByTestId("step-graph")).toHaveCount(0);
});

test("the executions list filters by status and updates live when an agent invokes", async ({ page, baseURL }) => {
  await page.goto(`/executions?agentId=${convertAgent}`);
  const rows = page.getByTestId("execution-row");
  await expect(rows).toHaveCount(3);
  await expect(page.locator(`[data-testid="execution-row"][data-execution-id="${convertExecution}"]`)).toHaveAttribute("data-status", "succeeded");

  const status = page.getByTestId("filter-status");
  await hydrated(status);
  await status.selectOption("failed,timed_out,killed_memory,denied");
  await expect(page).toHaveURL(/status=failed%2Ctimed_out%2Ckilled_memory%2Cdenied|status=failed,timed_out,killed_memory,denied/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-status", "failed");
  await expect(rows.first()).toContainText('unknown unit "parsec"');
  await page.getByTestId("clear-filters").click();
  await expect(rows.first()).toBeVisible();

  // Live: back to this agent's runs; an invocation over the API shows up without a reload.
  await page.goto(`/executions?agentId=${convertAgent}`);
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
  const invoked = await api<{ executionId: string; status: string; output: { value: number } }>(page, baseURL, "POST", `/api/agents/${convertAgent}/invoke`, {
    action: "unit-converter.convert",
    input: { value: 212, from: "F", to: "C" },
  });
  expect(invoked.status).toBe("succeeded");
  expect(invoked.output.value).toBe(100);
  const fresh = page.locator(`[data-testid="execution-row"][data-execution-id="${invoked.executionId}"]`);
  await expect(fresh).toBeVisible();
  await expect(fresh).toHaveAttribute("data-status", "succeeded");
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toHaveAttribute("data-execution-id", invoked.executionId);

  // Rows are links to the execution's page.
  await fresh.getByTestId("execution-link").click();
  await expect(page).toHaveURL(new RegExp(`/executions/${invoked.executionId}$`));
  await expect(page.getByTestId("execution-output")).toContainText('"value": 100');
});

test("run the text-digest workflow and read its step graph", async ({ page, baseURL }) => {
  const agent = await agentWith(page, baseURL, "text-digest");
  await page.goto(`/agents/${agent}`);
  await expect(page.getByTestId("installation")).toHaveCount(4);
  const panel = page.getByTestId("run-panel");
  await hydrated(panel.getByTestId("run-action"));
  await panel.getByTestId("run-action").selectOption("text-digest.run");
  await panel.getByTestId("run-example").selectOption({ index: 1 });
  await expect(panel.getByTestId("run-input-markdown")).toHaveValue("# Hello\n\nOne line.");
  await panel.getByTestId("run-submit").click();
  const result = panel.getByTestId("run-result");
  await expect(result).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(panel.getByTestId("run-output")).toContainText("<h1>Hello</h1>");
  await expect(panel.getByTestId("run-output")).toContainText('"sha256"');
  await result.getByTestId("run-execution-link").click();
  await expect(page).toHaveURL(/\/executions\/exe_/);

  await expect(page.getByTestId("execution-title")).toHaveText("text-digest.run");
  await expect(page.getByTestId("execution-header")).toHaveAttribute("data-status", "succeeded");
  const graph = page.getByTestId("step-graph");
  await expect(graph).toBeVisible();
  const nodes = graph.getByTestId("step-node");
  await expect(nodes).toHaveCount(4);
  await expect(graph.locator('[data-testid="step-node"][data-state="succeeded"]')).toHaveCount(4);
  for (const step of ["stats", "render", "checksum", "result"]) await expect(graph.locator(`[data-testid="step-node"][data-step="${step}"]`)).toBeVisible();
  // The three parallel steps all feed the final transform.
  await expect(graph.locator('[data-testid="step-edge"][data-to="result"]')).toHaveCount(3);
  await expect(graph.getByTestId("step-edge")).toHaveCount(3);

  // Selecting a step shows what went in and what came out.
  const render = graph.locator('[data-testid="step-node"][data-step="render"]');
  await hydrated(render);
  await render.click();
  const stepPanel = page.getByTestId("step-panel");
  await expect(stepPanel).toHaveAttribute("data-step", "render");
  await expect(stepPanel.getByTestId("step-input")).toContainText("# Hello");
  await expect(stepPanel.getByTestId("step-output")).toContainText("<h1>Hello</h1>");
  // And by keyboard: focus a node, Enter.
  await graph.locator('[data-testid="step-node"][data-step="result"]').focus();
  await page.keyboard.press("Enter");
  await expect(stepPanel).toHaveAttribute("data-step", "result");
  await expect(stepPanel.getByTestId("step-output")).toContainText('"sha256"');

  const events = page.getByTestId("execution-event");
  await expect(events.filter({ hasText: "execution.step.succeeded" })).toHaveCount(4);
  await expect(events.filter({ hasText: "execution.succeeded" }).filter({ hasNotText: "step" })).toHaveCount(1);

  // The timeline shows the same events, and links them back to the execution.
  const executionUrl = new URL(page.url()).pathname;
  await page.getByTestId("execution-timeline-link").click();
  await expect(page).toHaveURL(/\/timeline\?correlationId=cor_/);
  const timeline = page.getByTestId("timeline-event");
  await expect(timeline.filter({ hasText: "execution.succeeded" }).filter({ hasText: "text-digest.run succeeded in" })).toHaveCount(1);
  await expect(timeline.filter({ hasText: "execution.step.succeeded" })).toHaveCount(4);
  await expect(timeline.filter({ hasText: "execution.started" }).locator(`a[href="${executionUrl}"]`)).toHaveCount(1);
});

test("a running execution's page follows it live until it finishes", async ({ page, baseURL }) => {
  const slug = `spinner-${unique()}`;
  await api(page, baseURL, "POST", "/api/capabilities", {
    manifest: {
      slug,
      name: "Spinner",
      version: "1.0.0",
      category: "utilities",
      permissions: ["compute.moderate"],
      actions: [{ id: "spin", name: "Spin", inputs: [{ name: "ms", type: "integer", required: true }], outputs: [{ name: "spun", type: "integer" }] }],
      source: "export default { actions: { async spin({ ms }, ctx) { ctx.log('spinning for ' + ms + ' ms'); const end = Date.now() + ms; while (Date.now() < end) {} ctx.log('done'); return { spun: ms }; } } };",
    },
  });
  await api(page, baseURL, "POST", `/api/capabilities/${slug}/versions`, { changelog: "First.", visibility: "private" });
  const agent = await api<{ id: string }>(page, baseURL, "POST", "/api/agents", { name: `Spinner agent ${unique()}` });
  await api(page, baseURL, "POST", `/api/agents/${agent.id}/installations`, { capability: slug, grantedPermissions: ["compute.moderate"] });

  await page.goto(`/executions?agentId=${agent.id}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
  // Not awaited: the invocation answers only when the run is over.
  const invoked = page.request.fetch(`/api/agents/${agent.id}/invoke`, { method: "POST", data: { action: `${slug}.spin`, input: { ms: 4000 } }, headers: { Origin: baseURL ?? "" } });
  const row = page.getByTestId("execution-row").first();
  await expect(row).toHaveAttribute("data-status", "running", { timeout: 3000 });
  await row.getByTestId("execution-link").click();
  await expect(page.getByTestId("execution-header")).toHaveAttribute("data-status", "running");
  await expect(page.getByTestId("execution-live")).toBeVisible();
  await expect(page.getByTestId("execution-output")).toContainText("not finished yet");

  // No reload: the page turns green by itself when the execution finishes.
  await expect(page.getByTestId("execution-header")).toHaveAttribute("data-status", "succeeded", { timeout: 15_000 });
  await expect(page.getByTestId("execution-live")).toHaveCount(0);
  await expect(page.getByTestId("execution-output")).toContainText('"spun": 4000');
  await expect(page.getByTestId("execution-logs")).toContainText("spinning for 4000 ms");
  await expect(page.getByTestId("execution-duration")).toHaveText(/^\d\.\d+ s$/);
  expect((await invoked).status()).toBe(200);
});

test("the overview's executor card is healthy and links to the executions", async ({ page }) => {
  await page.goto("/");
  const card = page.getByTestId("executors-card");
  await expect(card).toHaveAttribute("data-state", /^(ok|busy)$/);
  await expect(card).toContainText("live");
  await card.getByRole("link", { name: "Executions →" }).click();
  await expect(page).toHaveURL(/\/executions$/);
  await expect(page.getByTestId("execution-row").first()).toBeVisible();
});
