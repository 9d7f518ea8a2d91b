// The audit timeline end to end: a token created in Settings → Tokens records events over
// the API, and they arrive in the open timeline live, once each, across a reload, with
// their hash in the inspector. The tests share the token, so they run in order.
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

interface EventJson {
  seq: number;
  id: string;
  hash: string;
  type: string;
}

let token = "";
let first: EventJson;

function row(page: Page, seq: number) {
  return page.locator(`[data-testid="timeline-event"][data-seq="${seq}"]`);
}

async function recordNote(request: import("@playwright/test").APIRequestContext, message: string): Promise<EventJson> {
  const res = await request.post("/api/events", {
    headers: { Authorization: `Bearer ${token}` },
    data: { data: { message, tags: ["e2e"] } },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as EventJson;
}

async function expectNoDuplicateRows(page: Page) {
  const seqs = await page.getByTestId("timeline-event").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.seq));
  expect(seqs.length).toBeGreaterThan(0);
  expect(new Set(seqs).size).toBe(seqs.length);
}

test.describe.configure({ mode: "serial" });

test("create an API token in Settings → Tokens; its secret is shown once", async ({ page }) => {
  await page.goto("/settings/tokens");
  await page.getByRole("button", { name: "Create token" }).first().click();
  await page.getByTestId("token-name-input").fill("e2e live feed");
  await page.getByRole("checkbox", { name: "events:read", exact: true }).check();
  await page.getByRole("checkbox", { name: "events:write", exact: true }).check();
  await page.getByTestId("token-create-submit").click();

  const value = page.getByTestId("new-token-value");
  await expect(value).toHaveText(/^crk_[A-Za-z0-9_-]{20,}$/);
  token = ((await value.textContent()) ?? "").trim();
  await expect(page.getByText("You will not see it again")).toBeVisible();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(value).toBeHidden();

  const tokenRow = page.getByTestId("token-row").filter({ hasText: "e2e live feed" });
  await expect(tokenRow).toHaveCount(1);
  await expect(tokenRow).toContainText(token.slice(0, 10));
  await expect(tokenRow).toContainText("events:write");
  await expect(tokenRow).toHaveAttribute("data-status", "active");
  // The secret is not on the page any more, and a reload does not bring it back.
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(page.getByTestId("token-row").filter({ hasText: "e2e live feed" })).toHaveCount(1);
});

test("an event recorded over the API appears at the top of the open timeline, live", async ({ page, request }) => {
  expect(token).not.toBe("");
  await page.goto("/timeline");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  // A marker that a reload or navigation would wipe.
  await page.evaluate(() => ((window as unknown as { __e2eMarker: number }).__e2eMarker = 1));

  const message = `live note ${Date.now()}`;
  first = await recordNote(request, message);

  await expect(row(page, first.seq)).toHaveCount(1);
  await expect(row(page, first.seq)).toContainText(message);
  await expect(page.getByTestId("timeline-event").first()).toHaveAttribute("data-seq", String(first.seq));
  expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: number }).__e2eMarker)).toBe(1);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await expectNoDuplicateRows(page);
});

test("after a reload the event is there once, and the stream resumes from the right place", async ({ page, request }) => {
  await page.goto("/timeline");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await expect(row(page, first.seq)).toHaveCount(1);

  await page.reload();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await expect(row(page, first.seq)).toHaveCount(1);
  await expectNoDuplicateRows(page);

  const second = await recordNote(request, `after reload ${Date.now()}`);
  expect(second.seq).toBeGreaterThan(first.seq);
  await expect(row(page, second.seq)).toHaveCount(1);
  await expect(page.getByTestId("timeline-event").first()).toHaveAttribute("data-seq", String(second.seq));
  await expect(row(page, first.seq)).toHaveCount(1);
  await expectNoDuplicateRows(page);
});

test("the inspector shows the event's hash, and the URL reopens it after a reload", async ({ page }) => {
  await page.goto("/timeline");
  await row(page, first.seq).click();

  const inspector = page.getByTestId("event-inspector");
  await expect(inspector).toBeVisible();
  await expect(inspector.getByTestId("event-hash")).toHaveText(first.hash);
  await expect(page).toHaveURL(new RegExp(`[?&]event=${first.seq}(&|$)`));
  await expect(inspector.getByTestId("chain-status")).toContainText(/Chain verified up to seq \d+/);

  await page.reload();
  await expect(page.getByTestId("event-inspector").getByTestId("event-hash")).toHaveText(first.hash);

  await page.keyboard.press("Escape");
  await expect(page.getByTestId("event-inspector")).toBeHidden();
  await expect(page).not.toHaveURL(/event=/);
});

test("filters live in the URL, survive a reload, and apply to the live stream", async ({ page, request, baseURL }) => {
  await page.goto("/timeline?type=note.recorded");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("filter-type-button")).toContainText("note.recorded");
  const types = await page.getByTestId("timeline-event").evaluateAll((els) => els.map((e) => e.querySelector(".font-mono")?.textContent));
  expect(types.length).toBeGreaterThan(0);
  expect(new Set(types)).toEqual(new Set(["note.recorded"]));

  // A token.created event (not matching) and then a note (matching) are recorded; the
  // stream delivers in seq order, so once the note shows, the token event was filtered out.
  const created = await page.request.post("/api/tokens", { headers: { Origin: baseURL ?? "" }, data: { name: "filter probe", scopes: ["events:read"] } });
  expect(created.status()).toBe(201);
  const note = await recordNote(request, `matches the filter ${Date.now()}`);
  await expect(page.getByTestId("timeline-event").first()).toHaveAttribute("data-seq", String(note.seq));
  await expect(page.getByTestId("timeline-event").filter({ hasText: "token.created" })).toHaveCount(0);

  await page.getByTestId("filter-severity-security").click();
  await expect(page).toHaveURL(/severity=security/);
  await expect(page).toHaveURL(/type=note\.recorded/);
  await expect(page.getByText("No events match these filters")).toBeVisible();
  await page.reload();
  await expect(page.getByText("No events match these filters")).toBeVisible();
  await expect(page.getByTestId("filter-severity-security")).toHaveAttribute("aria-pressed", "true");

  await page.getByTestId("filters-clear").first().click();
  await expect(page).not.toHaveURL(/type=|severity=/);
  await expect(page.getByTestId("timeline-event").filter({ hasText: "filter probe" })).toHaveCount(1);
  await expect(row(page, note.seq)).toHaveCount(1);
});

test("j and k move between rows, Enter opens the inspector", async ({ page }) => {
  await page.goto("/timeline");
  await hydrated(page.getByTestId("timeline-event").first());
  await page.keyboard.press("j");
  const firstRow = page.getByTestId("timeline-event").nth(0);
  await expect(firstRow).toBeFocused();
  await page.keyboard.press("j");
  const secondRow = page.getByTestId("timeline-event").nth(1);
  await expect(secondRow).toBeFocused();
  await page.keyboard.press("k");
  await expect(firstRow).toBeFocused();
  await page.keyboard.press("Enter");
  const seq = await firstRow.getAttribute("data-seq");
  await expect(page.getByTestId("event-inspector")).toHaveAttribute("data-seq", seq ?? "");
});

test("scrolling to the end loads older pages, without duplicates", async ({ page, request }) => {
  for (let i = 0; i < 60; i++) await recordNote(request, `history ${i}`);
  await page.goto("/timeline");
  await expect(page.getByTestId("timeline-event")).toHaveCount(50);
  await expect(page.getByTestId("timeline-count")).toHaveText("50+ events");

  await page.getByTestId("timeline-event").last().scrollIntoViewIfNeeded();
  await expect.poll(() => page.getByTestId("timeline-event").count()).toBeGreaterThan(50);
  // However long the log is (other specs add to it), keep scrolling until its beginning.
  const beginning = page.getByText("The beginning of the log.");
  await expect
    .poll(async () => {
      await page.getByTestId("timeline-scroller").evaluate((el) => el.scrollTo(0, el.scrollHeight));
      return beginning.isVisible();
    }, { timeout: 30_000 })
    .toBe(true);
  await expect(page.locator('[data-testid="timeline-event"][data-seq="1"]')).toHaveCount(1);
  await expectNoDuplicateRows(page);
});
