// The approval inbox end to end (issue 5's acceptance flow), against the production server
// with its executor processes: a code capability whose action needs network.http.post
// (high risk → RESTRICTED) is installed on an agent; the agent invokes it with an API token
// and gets 202 + approvalId instead of a result; the request appears live in the open inbox
// (and in the nav badge); the admin selects it and presses `a`; the agent's poll of the
// approval returns the real output of the run; the timeline shows the whole chain under one
// correlation id. Also: j / k move the selection, a deny with a reason (d, type, Enter)
// reaches the requester, the agent page's Run panel waits for the approval and shows the
// real result live, the kill switch asks for confirmation, and a member sees their own
// request with why they may not decide it (buttons disabled, kill switch read-only), and
// after five approvals of the same action the inbox offers "Always allow this for this
// agent", which makes the next invoke run without asking.
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function api<T = Record<string, any>>(page: Page, baseURL: string | undefined, method: "POST" | "PUT" | "PATCH", path: string, data?: unknown): Promise<{ status: number; body: T }> {
  const res = await page.request.fetch(path, { method, data, headers: { Origin: baseURL ?? "" } });
  expect(res.status(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBeLessThan(300);
  return { status: res.status(), body: (await res.json()) as T };
}

/** Approves an approval as the signed-in admin (through the API) and returns its view. */
async function approveByApi(page: Page, baseURL: string | undefined, approvalId: string, comment?: string) {
  return (await api(page, baseURL, "POST", `/api/approvals/${approvalId}/decide`, { decision: "approve", ...(comment ? { comment } : {}) })).body;
}

let slug = "";
let agentId = "";
let token = "";

function invoke(request: APIRequestContext, name: string) {
  return request.post(`/api/agents/${agentId}/invoke`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { action: `${slug}.greet`, input: { name } },
  });
}

async function getApproval(request: APIRequestContext, id: string, wait?: number) {
  const res = await request.get(`/api/approvals/${id}${wait ? `?wait=${wait}` : ""}`, { headers: { Authorization: `Bearer ${token}` }, timeout: 70_000 });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Record<string, any>;
}

function row(page: Page, approvalId: string) {
  return page.locator(`[data-testid="approval-row"][data-approval-id="${approvalId}"]`);
}

test.describe.configure({ mode: "serial" });

test("set up: a RESTRICTED code capability installed on an agent, and the agent's API token", async ({ page, baseURL }) => {
  slug = `greeter-${unique()}`;
  await api(page, baseURL, "POST", "/api/capabilities", {
    manifest: {
      slug,
      name: "Greeter with a webhook",
      version: "1.0.0",
      category: "utilities",
      description: "Greets; declares it may POST to a webhook, so running it is high risk.",
      permissions: ["network.http.post", "compute.light"],
      allowed_domains: ["hooks.example.com"],
      actions: [{ id: "greet", name: "Greet", inputs: [{ name: "name", type: "string", required: true }], outputs: [{ name: "greeting", type: "string" }] }],
      source: "export default { actions: { async greet({ name }) { return { greeting: 'hi ' + name }; } } };",
    },
  });
  await api(page, baseURL, "POST", `/api/capabilities/${slug}/versions`, { changelog: "First.", visibility: "private" });
  agentId = (await api<{ id: string }>(page, baseURL, "POST", "/api/agents", { name: `Greeter agent ${unique()}` })).body.id;

  // Installing a RESTRICTED permission may itself need an approval: the admin gives it.
  const installed = await api(page, baseURL, "POST", `/api/agents/${agentId}/installations`, { capability: slug, grantedPermissions: ["network.http.post", "compute.light"] });
  if (installed.status === 202) {
    expect(installed.body.approvalId).toMatch(/^apr_/);
    const decided = await approveByApi(page, baseURL, installed.body.approvalId);
    expect(decided.status).toBe("approved");
    expect(decided.outcome?.ok ?? true).toBe(true);
  }

  const created = await api<{ token: string }>(page, baseURL, "POST", "/api/tokens", { name: `greeter agent ${unique()}`, scopes: ["agents:invoke", "approvals:read"] });
  token = created.body.token;
  expect(token).toMatch(/^crk_/);
});

test("an agent's RESTRICTED invoke waits; the admin approves it in the inbox; the agent's poll gets the real output; the timeline shows the chain", async ({ page, request }) => {
  await page.goto("/approvals");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("kill-switch-card")).toHaveAttribute("data-on", "false");

  // The agent invokes with its token: 202, nothing has run.
  const res = await invoke(request, "Ada");
  expect(res.status(), await res.text()).toBe(202);
  const answer = await res.json();
  expect(answer.approvalId).toMatch(/^apr_/);
  expect(answer.status).toBe("pending");
  expect(answer.securityLevel).toBe("RESTRICTED");
  expect(answer.correlationId).toMatch(/^cor_/);
  expect(res.headers()["location"]).toBe(`/api/approvals/${answer.approvalId}`);
  const approvalId: string = answer.approvalId;
  const correlationId: string = answer.correlationId;
  expect((await getApproval(request, approvalId)).status).toBe("pending");

  // It appears in the open inbox without a reload, and the nav badge counts it.
  const r = row(page, approvalId);
  await expect(r).toBeVisible();
  await expect(r).toHaveAttribute("data-status", "pending");
  await expect(r).toContainText(`${slug}.greet`);
  await expect(r.getByTestId("security-level")).toHaveAttribute("data-level", "RESTRICTED");
  const badge = page.getByTestId("nav-approvals-badge");
  await expect(badge).toBeVisible();
  expect(Number(await badge.getAttribute("data-count"))).toBeGreaterThanOrEqual(1);
  const before = Number(await badge.getAttribute("data-count"));

  // Select it: who asks what and why.
  await hydrated(r);
  await r.click();
  await expect(page).toHaveURL(new RegExp(`[?&]id=${approvalId}`));
  const detail = page.getByTestId("approval-detail");
  await expect(detail).toHaveAttribute("data-approval-id", approvalId);
  await expect(detail.getByTestId("approval-title")).toHaveText(`${slug}.greet`);
  await expect(detail.getByTestId("approval-input")).toContainText('"name": "Ada"');
  await expect(detail.getByTestId("approval-permissions")).toContainText("network.http.post");
  await expect(detail.getByTestId("approval-reasons")).not.toBeEmpty();
  await expect(detail.getByTestId("approval-correlation")).toHaveText(correlationId);
  await expect(detail.getByTestId("approve-button")).toBeEnabled();

  // `a` approves the selected request (the focus is on its row, not in a text field).
  await page.keyboard.press("a");
  await expect(detail).toHaveAttribute("data-status", "approved");
  await expect(r).toHaveAttribute("data-status", "approved");
  // The run's real result shows in the detail once the executor finished it.
  await expect(detail.getByTestId("approval-result")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(detail.getByTestId("approval-result-output")).toContainText('"greeting": "hi Ada"');
  await expect(detail.getByTestId("approval-history-item").filter({ hasText: "Approved" })).toHaveCount(1);
  // The badge went down by one, live.
  await expect.poll(async () => Number((await badge.count()) ? await badge.getAttribute("data-count") : 0)).toBe(before - 1);

  // The agent's poll returns the REAL output, not just "approved".
  const settled = await getApproval(request, approvalId, 30);
  expect(settled.status).toBe("approved");
  expect(settled.result?.status).toBe("succeeded");
  expect(settled.result?.output).toEqual({ greeting: "hi Ada" });
  expect(settled.result?.executionId).toMatch(/^exe_/);

  // The timeline shows the whole chain under one correlation id.
  await detail.getByTestId("approval-timeline-link").click();
  await expect(page).toHaveURL(new RegExp(`/timeline\\?correlationId=${correlationId}`));
  const events = page.getByTestId("timeline-event");
  for (const type of ["policy.evaluated", "approval.requested", "approval.decided", "execution.started", "execution.succeeded"]) {
    await expect(events.filter({ hasText: type }).first()).toBeVisible();
  }
  // Nothing from another chain: every row is of this correlation (the API agrees).
  const listed = await page.request.get(`/api/events?correlationId=${correlationId}&limit=200`);
  const types = ((await listed.json()).items as { type: string; correlationId: string }[]).map((e) => {
    expect(e.correlationId).toBe(correlationId);
    return e.type;
  });
  for (const type of ["policy.evaluated", "approval.requested", "approval.decided", "execution.started", "execution.succeeded"]) expect(types).toContain(type);
});

test("j / k move the selection; d asks for a reason, Enter denies, and the requester gets the reason", async ({ page, request }) => {
  const first = (await (await invoke(request, "Bob")).json()).approvalId as string;
  const second = (await (await invoke(request, "Eve")).json()).approvalId as string;
  expect(first).toMatch(/^apr_/);
  expect(second).toMatch(/^apr_/);

  await page.goto(`/approvals?status=pending&agentId=${agentId}`);
  const rows = page.getByTestId("approval-row");
  await expect(rows).toHaveCount(2);
  // Newest first, and the first row is selected to begin with.
  await expect(rows.nth(0)).toHaveAttribute("data-approval-id", second);
  await hydrated(rows.nth(0));
  await expect(page.getByTestId("approval-detail")).toHaveAttribute("data-approval-id", second);

  await page.keyboard.press("j");
  await expect(row(page, first)).toHaveAttribute("data-selected", "true");
  await expect(page.getByTestId("approval-detail")).toHaveAttribute("data-approval-id", first);
  await expect(page).toHaveURL(new RegExp(`[?&]id=${first}`));
  await page.keyboard.press("k");
  await expect(row(page, second)).toHaveAttribute("data-selected", "true");
  await expect(page.getByTestId("approval-detail")).toHaveAttribute("data-approval-id", second);
  await page.keyboard.press("j");
  await expect(page.getByTestId("approval-detail")).toHaveAttribute("data-approval-id", first);

  // d opens the comment box for a reason; an empty Enter is refused; a reason + Enter denies.
  await page.keyboard.press("d");
  const comment = page.getByTestId("approval-comment");
  await expect(comment).toBeFocused();
  await expect(comment).toHaveAttribute("data-mode", "deny");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Say why: the requester sees this reason.")).toBeVisible();
  await comment.fill("Bob is not a customer; do not greet him from production.");
  await comment.press("Enter");
  const detail = page.getByTestId("approval-detail");
  await expect(detail).toHaveAttribute("data-status", "denied");
  await expect(detail.getByTestId("approval-reason")).toContainText("Bob is not a customer");

  // The requester's poll: denied, with the reason, and nothing ran.
  const denied = await getApproval(request, first, 5);
  expect(denied.status).toBe("denied");
  expect(denied.reason).toBe("Bob is not a customer; do not greet him from production.");
  expect(denied.result).toBeNull();

  // Hold keeps the other one pending with a note.
  await page.goto(`/approvals?id=${second}`);
  const held = page.getByTestId("approval-detail");
  await expect(held).toHaveAttribute("data-approval-id", second);
  await hydrated(held.getByTestId("hold-button"));
  await page.keyboard.press("h");
  await expect(comment).toHaveAttribute("data-mode", "hold");
  await comment.fill("Asking Eve's manager first.");
  await comment.press("Enter");
  await expect(held.getByTestId("approval-held")).toBeVisible();
  await expect(held).toHaveAttribute("data-status", "pending");
  await expect(held.getByTestId("approval-history-item").filter({ hasText: "Put on hold" })).toContainText("Asking Eve's manager first.");
  const onHold = await getApproval(request, second);
  expect(onHold.status).toBe("pending");
  expect(onHold.held).toBe(true);
  expect(onHold.note).toBe("Asking Eve's manager first.");
  // Clean up: deny it so later tests start from an empty pending list for this agent.
  const res = await page.request.post(`/api/approvals/${second}/decide`, { headers: { Origin: new URL(page.url()).origin }, data: { decision: "deny", comment: "e2e clean-up" } });
  expect(res.status()).toBe(200);
});

test("the agent page's Run panel waits for the approval and shows the real result live", async ({ page, baseURL }) => {
  await page.goto(`/agents/${agentId}`);
  const panel = page.getByTestId("run-panel");
  await hydrated(panel.getByTestId("run-action"));
  await expect(panel.getByTestId("run-action")).toHaveValue(`${slug}.greet`);
  await panel.getByTestId("run-input-name").fill("Grace");
  await panel.getByTestId("run-submit").click();

  const waiting = panel.getByTestId("run-approval");
  await expect(waiting).toHaveAttribute("data-status", "pending");
  await expect(waiting).toContainText("Waiting for approval");
  await expect(panel.getByTestId("run-approval-reasons")).not.toBeEmpty();
  await expect(panel.getByTestId("run-result")).toHaveCount(0);
  const approvalId = (await waiting.getAttribute("data-approval-id"))!;
  await expect(panel.getByTestId("run-approval-link")).toHaveAttribute("href", `/approvals?id=${approvalId}`);

  // Someone approves elsewhere (here: the API); the panel turns into the run's result by itself.
  await approveByApi(page, baseURL, approvalId, "fine");
  await expect(waiting).toHaveAttribute("data-status", "approved");
  await expect(panel.getByTestId("run-result")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(panel.getByTestId("run-output")).toContainText('"greeting": "hi Grace"');
  await expect(panel.getByTestId("run-execution-link")).toHaveAttribute("href", /\/executions\/exe_/);
});

test("the kill switch asks for a reason, shows its state, and denies external writes while on", async ({ page }) => {
  await page.goto("/approvals");
  const card = page.getByTestId("kill-switch-card");
  await expect(card).toHaveAttribute("data-on", "false");
  await hydrated(card.getByTestId("kill-switch-toggle"));
  await card.getByTestId("kill-switch-toggle").click();
  const dialog = page.getByTestId("kill-switch-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByTestId("kill-switch-reason").fill("e2e: incident drill");
  await dialog.getByTestId("kill-switch-confirm").click();
  await expect(card).toHaveAttribute("data-on", "true");
  await expect(card.getByTestId("kill-switch-state")).toHaveText("On");

  // While on, the RESTRICTED action (an external write) is denied outright: no approval.
  const denied = await page.request.post(`/api/agents/${agentId}/invoke`, { headers: { Authorization: `Bearer ${token}` }, data: { action: `${slug}.greet`, input: { name: "Mallory" } } });
  expect(denied.status()).toBe(403);

  // Turn it back off for everything else.
  await card.getByTestId("kill-switch-toggle").click();
  await dialog.getByTestId("kill-switch-reason").fill("e2e: drill over");
  await dialog.getByTestId("kill-switch-confirm").click();
  await expect(card).toHaveAttribute("data-on", "false");
  const res = await page.request.get("/api/policy/kill-switch");
  expect((await res.json()).on).toBe(false);
});

async function signUpMember(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] }, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Max Member");
  await page.getByLabel("Email").fill(`max-${unique()}@example.com`);
  await page.getByLabel("Password").fill("a-long-enough-passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: /Welcome back, Max/ })).toBeVisible();
  return page;
}

test("a member sees their own request and why they may not decide it; the admin's setting lets members approve others' RESTRICTED requests", async ({ page, browser, baseURL }) => {
  const member = await signUpMember(browser, baseURL);
  try {
    const mine = `member-greeter-${unique()}`;
    await api(member, baseURL, "POST", "/api/capabilities", {
      manifest: {
        slug: mine,
        name: "Member greeter",
        version: "1.0.0",
        category: "utilities",
        permissions: ["network.http.post", "compute.light"],
        allowed_domains: ["hooks.example.com"],
        actions: [{ id: "greet", name: "Greet", inputs: [{ name: "name", type: "string", required: true }], outputs: [{ name: "greeting", type: "string" }] }],
        source: "export default { actions: { async greet({ name }) { return { greeting: 'hello ' + name }; } } };",
      },
    });
    await api(member, baseURL, "POST", `/api/capabilities/${mine}/versions`, { changelog: "First.", visibility: "private" });
    const agent = (await api<{ id: string }>(member, baseURL, "POST", "/api/agents", { name: `Member agent ${unique()}` })).body.id;
    const installed = await api(member, baseURL, "POST", `/api/agents/${agent}/installations`, { capability: mine, grantedPermissions: ["network.http.post", "compute.light"] });
    if (installed.status === 202) expect((await approveByApi(page, baseURL, installed.body.approvalId)).status).toBe("approved");
    const invoked = await api(member, baseURL, "POST", `/api/agents/${agent}/invoke`, { action: `${mine}.greet`, input: { name: "Max" } });
    expect(invoked.status).toBe(202);
    const approvalId: string = invoked.body.approvalId;

    // The member's inbox: their own request, with why they cannot decide it.
    await member.goto(`/approvals?id=${approvalId}`);
    const detail = member.getByTestId("approval-detail");
    await expect(detail).toHaveAttribute("data-approval-id", approvalId);
    await expect(detail.getByTestId("approval-why-not")).not.toBeEmpty();
    await expect(detail.getByTestId("approve-button")).toBeDisabled();
    await expect(detail.getByTestId("deny-button")).toBeDisabled();
    // Nothing for this member to decide: no badge. The kill switch is read-only.
    await expect(member.getByTestId("nav-approvals-badge")).toHaveCount(0);
    await expect(member.getByTestId("kill-switch-card")).toContainText("Only administrators can change it.");
    await expect(member.getByTestId("kill-switch-toggle")).toHaveCount(0);
    // The keyboard does nothing either: still pending.
    await hydrated(detail.getByTestId("approve-button"));
    await member.keyboard.press("a");
    await expect(detail).toHaveAttribute("data-status", "pending");

    // The admin lets members approve RESTRICTED requests of others (Settings).
    await page.goto("/settings");
    const toggle = page.getByRole("switch", { name: "Members may approve RESTRICTED requests of others" });
    await hydrated(toggle);
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    await toggle.click();
    await expect(page.getByText("Members may approve RESTRICTED requests", { exact: true })).toBeVisible();
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    expect((await (await page.request.get("/api/settings")).json()).membersMayApproveRestricted).toBe(true);
    try {
      // A new request of the member's own: still not theirs to decide, for another reason.
      const own = (await api(member, baseURL, "POST", `/api/agents/${agent}/invoke`, { action: `${mine}.greet`, input: { name: "Max again" } })).body.approvalId as string;
      await member.goto(`/approvals?id=${own}`);
      await expect(detail).toHaveAttribute("data-approval-id", own);
      await expect(detail.getByTestId("approval-why-not")).toContainText("own");
      await expect(detail.getByTestId("approve-button")).toBeDisabled();

      // Someone else's RESTRICTED request: the member's badge counts it, and the member approves it.
      const others = await invoke(page.request, "Ida");
      expect(others.status()).toBe(202);
      const othersId = (await others.json()).approvalId as string;
      await expect(member.getByTestId("nav-approvals-badge")).toBeVisible();
      await member.goto(`/approvals?id=${othersId}`);
      await expect(detail).toHaveAttribute("data-approval-id", othersId);
      await expect(detail.getByTestId("approval-why-not")).toHaveCount(0);
      await hydrated(detail.getByTestId("approve-button"));
      await detail.getByTestId("approve-button").click();
      await expect(detail).toHaveAttribute("data-status", "approved");
      await expect(detail.getByTestId("approval-result-output")).toContainText('"greeting": "hi Ida"', { timeout: 30_000 });
      const decided = await getApproval(page.request, othersId);
      expect(decided.decision.by.name).toBe("Max Member");

      // The admin denies the member's second request; the member's open page shows the reason live.
      await member.goto(`/approvals?id=${own}`);
      await expect(detail).toHaveAttribute("data-status", "pending");
      await api(page, baseURL, "POST", `/api/approvals/${own}/decide`, { decision: "deny", comment: "one greeting is enough" });
      await expect(detail).toHaveAttribute("data-status", "denied");
      await expect(detail.getByTestId("approval-reason")).toContainText("one greeting is enough");
    } finally {
      await page.goto("/settings");
      await hydrated(toggle);
      if ((await toggle.getAttribute("aria-checked")) === "true") await toggle.click();
      await expect(toggle).toHaveAttribute("aria-checked", "false");
    }

    // The admin approves the member's first request; the member's open page shows the real output live.
    await member.goto(`/approvals?id=${approvalId}`);
    await expect(detail).toHaveAttribute("data-status", "pending");
    await approveByApi(page, baseURL, approvalId);
    await expect(detail).toHaveAttribute("data-status", "approved");
    await expect(detail.getByTestId("approval-result-output")).toContainText('"greeting": "hello Max"', { timeout: 30_000 });
  } finally {
    await member.context().close();
  }
});

test("after five approvals of the same action, one click turns it into a standing rule and the next invoke runs at once", async ({ page, baseURL, request }) => {
  const trusted = (await api<{ id: string }>(page, baseURL, "POST", "/api/agents", { name: `Trusted agent ${unique()}` })).body.id;
  const installed = await api(page, baseURL, "POST", `/api/agents/${trusted}/installations`, { capability: slug, grantedPermissions: ["network.http.post", "compute.light"] });
  if (installed.status === 202) expect((await approveByApi(page, baseURL, installed.body.approvalId)).status).toBe("approved");
  const call = (name: string) => request.post(`/api/agents/${trusted}/invoke`, { headers: { Authorization: `Bearer ${token}` }, data: { action: `${slug}.greet`, input: { name } } });

  for (let i = 1; i <= 5; i++) {
    const res = await call(`friend ${i}`);
    expect(res.status(), await res.text()).toBe(202);
    expect((await approveByApi(page, baseURL, (await res.json()).approvalId)).status).toBe("approved");
  }
  const sixth = await call("friend 6");
  expect(sixth.status()).toBe(202);
  const approvalId = (await sixth.json()).approvalId as string;

  await page.goto(`/approvals?id=${approvalId}`);
  const detail = page.getByTestId("approval-detail");
  await expect(detail).toHaveAttribute("data-approval-id", approvalId);
  const card = detail.getByTestId("approval-recommendation");
  await expect(card).toContainText("Approved 5 times for this agent");
  await hydrated(card.getByTestId("trust-button"));
  await card.getByTestId("trust-button").click();
  await expect(card.getByTestId("trust-done")).toContainText(/rules are now at version \d+/);

  // The standing rule lets the next invoke of this agent run without asking.
  const seventh = await call("friend 7");
  expect(seventh.status(), await seventh.text()).toBe(200);
  const body = await seventh.json();
  expect(body.status).toBe("succeeded");
  expect(body.output).toEqual({ greeting: "hi friend 7" });
  // The sixth one still waits for its own decision; approving it runs it.
  expect((await approveByApi(page, baseURL, approvalId)).status).toBe("approved");
  expect((await getApproval(request, approvalId, 30)).result?.output).toEqual({ greeting: "hi friend 6" });

  // With nothing pending (other specs may have left some), the inbox says so above the history.
  const pending = (await (await page.request.get("/api/approvals?status=pending&limit=1")).json()).pendingCount as number;
  await page.goto("/approvals");
  await expect(page.getByTestId("approval-row").first()).toBeVisible();
  if (pending === 0) await expect(page.getByRole("heading", { name: "Your inbox is clear" })).toBeVisible();
  else await expect(page.getByTestId("inbox-clear")).toHaveCount(0);
});
