// Snippets end to end: create a snippet in the page with Monaco loaded from our own bundle
// (no request ever leaves for cdn.jsdelivr.net or any other host; the editor worker is
// same-origin), save it with Ctrl+S, find it by a word of its code, see its audit trail,
// preview it in a sandboxed frame, and delete it after confirming.
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** Every request the page makes to a host other than the app's. */
function foreignRequests(page: Page, baseURL: string): string[] {
  const origin = new URL(baseURL).origin;
  const seen: string[] = [];
  page.on("request", (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    if (new URL(url).origin !== origin) seen.push(url);
  });
  return seen;
}

async function editorReady(page: Page) {
  const editor = page.getByTestId("code-editor");
  await expect(editor).toHaveAttribute("data-monaco-ready", "true", { timeout: 20_000 });
  await expect(editor.locator(".monaco-editor")).toBeVisible();
  return editor;
}

async function replaceCode(page: Page, code: string) {
  await page.getByTestId("code-editor").locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  // insertText: no auto-closing brackets or quotes.
  await page.keyboard.insertText(code);
}

test("create a snippet with Monaco, save with Ctrl+S, search it, see its audit trail, delete it", async ({ page, baseURL }) => {
  const foreign = foreignRequests(page, baseURL!);
  const workers: string[] = [];
  page.on("worker", (w) => workers.push(w.url()));
  // Monaco must run under the app's CSP without errors (no blocked worker, style or eval).
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Refused to|Content Security Policy|worker/i.test(msg.text())) problems.push(msg.text());
  });
  const id = unique();
  const word = `zebrafish${id}`;

  await page.goto("/snippets?new=1");
  await editorReady(page);
  await hydrated(page.getByTestId("snippet-title"));
  await expect(page.getByTestId("save-state")).toHaveAttribute("data-state", "unsaved");

  await page.getByTestId("snippet-title").fill(`Greeting ${id}`);
  await page.getByTestId("snippet-tags").fill("demo, e2e");
  await replaceCode(page, `const ${word} = "hello";\ndocument.body.textContent = ${word};\n`);
  await expect(page.getByTestId("code-editor").locator(".view-lines")).toContainText(word);

  // Ctrl+S inside the editor saves; the URL then names the new snippet.
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page).toHaveURL(/[?&]id=snp_[0-9a-z]{26}/);
  await expect(page.getByTestId("save-state")).toHaveAttribute("data-state", "saved");
  const snippetId = new URL(page.url()).searchParams.get("id")!;
  const stored = await (await page.request.get(`/api/snippets/${snippetId}`)).json();
  expect(stored).toMatchObject({ title: `Greeting ${id}`, language: "javascript", tags: ["demo", "e2e"], version: 1, code: `const ${word} = "hello";\ndocument.body.textContent = ${word};\n` });

  // An edit shows "unsaved" until Ctrl+S saves it as version 2.
  await editorReady(page);
  await page.getByTestId("code-editor").locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.insertText("// edited\n");
  await expect(page.getByTestId("save-state")).toHaveAttribute("data-state", "unsaved");
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page.getByTestId("save-state")).toHaveAttribute("data-state", "saved");
  await expect.poll(async () => (await (await page.request.get(`/api/snippets/${snippetId}`)).json()).version).toBe(2);

  // Search by a word that is only in the code; the query lives in the URL.
  await page.goto("/snippets");
  await hydrated(page.getByTestId("snippet-search"));
  await page.getByTestId("snippet-search").fill(word);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${word}`));
  await expect(page.getByTestId("snippet-list-item")).toHaveCount(1);
  await expect(page.getByTestId("snippet-list-item")).toContainText(`Greeting ${id}`);
  await page.getByTestId("snippet-search").fill(`nomatch${id}`);
  await expect(page.getByTestId("snippets-empty")).toBeVisible();

  // Open it from a search and read its audit trail.
  await page.goto(`/snippets?q=${word}`);
  await page.getByTestId("snippet-list-item").click();
  await expect(page).toHaveURL(new RegExp(`id=${snippetId}`));
  await hydrated(page.getByTestId("snippet-tab-audit"));
  await page.getByTestId("snippet-tab-audit").click();
  await expect(page.getByTestId("audit-item")).toHaveCount(2);
  await expect(page.getByTestId("audit-item").nth(0)).toHaveAttribute("data-type", "SNIPPET_CREATED");
  await expect(page.getByTestId("audit-item").nth(1)).toHaveAttribute("data-type", "SNIPPET_UPDATED");

  // Delete asks first; then it is gone from the list and the API.
  await page.getByTestId("delete-snippet").click();
  await page.getByTestId("confirm-delete-snippet").click();
  await expect(page).not.toHaveURL(/id=snp_/);
  expect((await page.request.get(`/api/snippets/${snippetId}`)).status()).toBe(404);

  expect(foreign, "requests to other hosts (a CDN?)").toEqual([]);
  expect(problems, "errors in the page").toEqual([]);
  expect(workers.length, "Monaco's editor worker started").toBeGreaterThan(0);
  for (const w of workers) expect(new URL(w).origin).toBe(new URL(baseURL!).origin);
});

test("the Preview tab runs the snippet in a sandboxed frame and offers a share link", async ({ page, baseURL }) => {
  const foreign = foreignRequests(page, baseURL!);
  const id = unique();
  const res = await page.request.post("/api/snippets", {
    data: { title: `Preview me ${id}`, language: "html", code: `<h1 id="hello">Hello ${id}</h1>` },
    headers: { Origin: baseURL! },
  });
  expect(res.status()).toBe(201);
  const { id: snippetId } = await res.json();

  await page.goto(`/snippets?id=${snippetId}`);
  await editorReady(page);
  await hydrated(page.getByTestId("snippet-tab-preview"));
  await page.getByTestId("snippet-tab-preview").click();
  await expect(page.getByTestId("snippet-preset")).toBeEnabled();
  await page.getByTestId("snippet-preset").selectOption("html-basic");
  await page.getByTestId("preview-snippet").click();

  const frame = page.locator("iframe[sandbox]");
  await expect(frame).toHaveAttribute("sandbox", "allow-scripts");
  await expect(page.frameLocator("iframe[sandbox]").locator("#hello")).toHaveText(`Hello ${id}`);
  await expect(page.getByTestId("share-url")).toContainText("/p/");

  // The preview is in the snippet's audit trail.
  await page.getByTestId("snippet-tab-audit").click();
  await expect(page.locator('[data-testid="audit-item"][data-type="PREVIEW_SESSION_CREATED"]')).toHaveCount(1);
  expect(foreign, "requests to other hosts (a CDN?)").toEqual([]);
});
