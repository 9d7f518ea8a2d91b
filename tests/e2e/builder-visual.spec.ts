// The visual builder end to end (issue 7), in Chromium against the production build, offline:
// on /builder/new choose Visual, name the capability, turn the starter flow into a unit
// converter on the canvas (Input km → Transform miles = round(km × 0.621371 × 100) / 100 →
// Output miles) through the node side panel, see a live parse error while typing the
// expression, test 10 km → 6.21 miles in the sandbox, publish privately, install it on an
// agent, create an API token with agents:invoke and invoke it: the same 6.21. And the canvas
// shows invalid wiring where it is: a dangling node, a second incoming connection (on the
// edge), fixed by dragging a handle and deleting with the keyboard; no console errors.
import { expect, test, type ConsoleMessage, type Locator, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function api<T = Record<string, any>>(page: Page, baseURL: string | undefined, method: "GET" | "POST", path: string, data?: unknown): Promise<T> {
  const res = await page.request.fetch(path, { method, ...(data === undefined ? {} : { data }), headers: { Origin: baseURL ?? "" } });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

/**
 * Console errors and uncaught exceptions of the page, to assert there are none. The one
 * expected network 404 is the wizard's slug check (GET /api/capabilities/<free slug>).
 */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() !== "error") return;
    if (m.text().includes("status of 404") && /\/api\/capabilities\/[a-z0-9-]+(\?.*)?$/.test(m.location().url)) return;
    problems.push(`${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}

function node(canvas: Locator, label: string, id: string): Locator {
  // The node's accessible name: "<Type> node <id>" plus ", N problems" when it has some.
  return canvas.getByRole("group", { name: new RegExp(`^${label} node ${id}(,|$)`) });
}

async function openVisualDraft(page: Page, name: string, slug: string) {
  await page.goto("/builder/new");
  const visual = page.getByRole("radiogroup", { name: "Method" }).getByRole("radio", { name: "Visual" });
  await hydrated(visual);
  await visual.click();
  await expect(visual).toBeChecked();
  await page.getByRole("tab", { name: "Basics" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Slug", { exact: true }).fill(slug);
  await page.getByRole("tab", { name: "Actions" }).click();
  const canvas = page.getByRole("region", { name: "Flow canvas" });
  await expect(node(canvas, "Input", "input")).toBeVisible();
  await hydrated(node(canvas, "Input", "input"));
  return canvas;
}

/** The element's box once it has stopped moving (the canvas animates its viewport when a node is added). */
async function settledBox(locator: Locator) {
  let last = "";
  await expect
    .poll(async () => {
      const box = JSON.stringify(await locator.boundingBox());
      const settled = box === last && box !== "null";
      last = box;
      return settled;
    })
    .toBe(true);
  return JSON.parse(last) as { x: number; y: number; width: number; height: number };
}

async function dragHandle(page: Page, canvas: Locator, from: Locator, to: Locator) {
  await canvas.scrollIntoViewIfNeeded();
  const a = await settledBox(from);
  const b = await settledBox(to);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

test("Visual: a unit converter built on the canvas gives 10 km → 6.21 miles in the test, and the same through an agent's API token once published", async ({ page, baseURL, request }) => {
  test.setTimeout(120_000);
  const problems = watchConsole(page);
  const slug = `unit-converter-${unique()}`;
  const canvas = await openVisualDraft(page, "Unit converter", slug);
  const panel = page.getByTestId("flow-node-panel");

  // Input: km, a required number.
  await node(canvas, "Input", "input").click();
  await panel.getByLabel("Input field 1 name").fill("km");
  await panel.getByLabel("Input field 1 type").selectOption("number");
  const required = panel.getByLabel("Input field 1 required");
  if (!(await required.isChecked())) await required.check();
  await expect(node(canvas, "Input", "input")).toContainText("km: number");

  // Transform: miles ← expression, with a live parse error while it is incomplete.
  await node(canvas, "Transform", "transform").click();
  await panel.getByLabel("Mapping 1 target").fill("miles");
  const expression = panel.getByLabel("Mapping 1 expression");
  await expression.fill("round(input.km * 0.621371 * 100) /");
  await expect(panel).toContainText("unexpected end of expression");
  await expect(expression).toHaveAttribute("aria-invalid", "true");
  await expect(node(canvas, "Transform", "transform").locator("[data-invalid]")).toBeVisible();
  await expression.fill("round(input.km * 0.621371 * 100) / 100");
  await expect(expression).not.toHaveAttribute("aria-invalid", "true");

  // Output: miles, a number.
  await node(canvas, "Output", "output").click();
  await panel.getByLabel("Output field 1 name").fill("miles");
  await panel.getByLabel("Output field 1 type").selectOption("number");
  await panel.getByRole("button", { name: "Close node settings" }).click();
  await expect(page.getByTestId("flow-overview")).toContainText("The flow is valid.");
  await expect(canvas.locator("[data-invalid]")).toHaveCount(0);
  await expect(node(canvas, "Transform", "transform")).toContainText("miles ← round(input.km * 0.621371 * 100) / 100");

  // Test step: 10 km → 6.21 miles, in the real sandbox.
  await page.getByRole("tab", { name: "Test" }).click();
  const testStep = page.getByTestId("test-step");
  await expect(testStep).toBeVisible();
  await testStep.getByLabel(/^km/).fill("10");
  await hydrated(testStep.getByTestId("test-run"));
  await testStep.getByTestId("test-run").click();
  await expect(testStep.getByTestId("test-status")).toHaveText("Succeeded", { timeout: 30_000 });
  await expect(testStep.getByTestId("test-output")).toContainText(/"miles":\s*6\.21\b/);

  // Publish, privately.
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const dialog = page.getByTestId("publish-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("radio", { name: /Private/ }).check();
  await dialog.getByLabel("Changelog").fill("First version: kilometres to miles.");
  await dialog.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(dialog).toContainText(new RegExp(`${slug} \\S+ is published \\(private\\)`), { timeout: 30_000 });

  // Install it on an agent, make an API token, invoke with the token: the same answer.
  const detail = await api(page, baseURL, "GET", `/api/capabilities/${slug}`);
  expect(detail.version.visibility).toBe("private");
  const actionId: string = detail.actions[0].id;
  const agent = await api<{ id: string }>(page, baseURL, "POST", "/api/agents", { name: `Converter agent ${unique()}` });
  await api(page, baseURL, "POST", `/api/agents/${agent.id}/installations`, { capability: slug, grantedPermissions: detail.permissions.map((p: { name: string }) => p.name) });
  const token = (await api<{ token: string }>(page, baseURL, "POST", "/api/tokens", { name: `converter ${unique()}`, scopes: ["agents:invoke"] })).token;
  expect(token).toMatch(/^crk_/);
  const res = await request.post(`/api/agents/${agent.id}/invoke`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { action: `${slug}.${actionId}`, input: { km: 10 } },
  });
  const body = await res.json();
  expect(res.status(), JSON.stringify(body)).toBe(200);
  expect(body.output).toEqual({ miles: 6.21 });

  expect(problems).toEqual([]);
});

test("Visual: invalid wiring is shown on the canvas where it is, and goes away when fixed by dragging a handle and deleting with the keyboard", async ({ page }) => {
  const problems = watchConsole(page);
  const canvas = await openVisualDraft(page, "Wiring check", `wiring-check-${unique()}`);
  await expect(canvas.locator("[data-invalid]")).toHaveCount(0);

  // A dangling Transform, added from the palette: its problems are on it, outlined.
  await page.getByRole("toolbar", { name: "Add node" }).getByRole("button", { name: "Add Transform node" }).click();
  const dangling = node(canvas, "Transform", "transform_2");
  await expect(dangling).toBeVisible();
  await expect(dangling.locator("[data-invalid]")).toBeVisible();
  await expect(page.getByTestId("flow-node-errors-transform_2")).toContainText("not reachable from the input node");
  await expect(page.getByTestId("flow-node-panel")).toContainText("not reachable from the input node");

  // Drag from the Input's handle to the new node's: reachable now, but it still leads nowhere.
  await dragHandle(page, canvas, canvas.locator('.react-flow__handle.source[data-nodeid="input"]'), canvas.locator('.react-flow__handle.target[data-nodeid="transform_2"]'));
  await expect(canvas.getByRole("group", { name: /^Connection from input to transform_2$/ })).toBeVisible();
  await expect(page.getByTestId("flow-node-errors-transform_2")).not.toContainText("not reachable");
  await expect(page.getByTestId("flow-node-errors-transform_2")).toContainText("does not lead to an output node");

  // Wire it into the Output too (from the panel, with the keyboard): the Output now has two
  // incoming connections; the second edge is marked on the canvas and the Output is outlined.
  const panel = page.getByTestId("flow-node-panel");
  await panel.getByLabel("Connect to node").selectOption("output");
  await panel.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(page.getByTestId("flow-node-errors-output")).toContainText("already has an incoming connection");
  const badEdge = canvas.getByRole("group", { name: /^Connection from transform_2 to output: / });
  await expect(badEdge).toBeVisible();
  await expect(canvas.getByText("✕ invalid connection")).toBeVisible();

  // Delete the extra node with the keyboard: its edges go with it and the canvas is clean.
  await dangling.focus();
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("textbox", { name: "Node id" })).toHaveValue("transform_2");
  await page.keyboard.press("Delete");
  await expect(dangling).toHaveCount(0);
  await expect(canvas.locator("[data-invalid]")).toHaveCount(0);
  await expect(page.getByTestId("flow-overview")).toContainText("The flow is valid.");

  // An Output wired to the Input directly, past the Transform, is refused where it is drawn:
  // dropping an Output's (absent) outgoing connection is impossible, and the Transform left
  // without a way out is marked.
  await node(canvas, "Transform", "transform").click();
  await panel.getByRole("button", { name: "Disconnect from output" }).click();
  await expect(page.getByTestId("flow-node-errors-transform")).toContainText("does not lead to an output node");
  await expect(page.getByTestId("flow-node-errors-output")).toContainText("not reachable from the input node");
  await expect(canvas.locator('.react-flow__handle.source[data-nodeid="output"]')).toHaveCount(0);

  expect(problems).toEqual([]);
});
