// The builder's Code method end to end (issue 7): on /builder/new choose Code, type a
// capability in Monaco (loaded from our own bundle, its TypeScript worker same-origin), see a
// marker for a syntax error and the status line count it, fix it, see completion offer
// `ctx.log` (typed from the generated .d.ts), see a type error for an input that does not
// exist, format with Ctrl+S (no browser save dialog), run it in the real sandbox from the
// Test step with an input and get the output, then publish it privately.
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

const editor = (page: Page) => page.getByTestId("code-action-editor");
const status = (page: Page) => page.getByTestId("code-markers-status");

/** The editor's text as rendered (all of it fits in the box), lines in screen order (Monaco reuses line nodes), whitespace removed. */
const shownCode = (page: Page) =>
  editor(page)
    .locator(".view-lines")
    .evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>(".view-line")]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((l) => l.textContent ?? "")
        .join("")
        .replace(/\s+/g, ""),
    );

/**
 * Replaces the editor's text the way a paste does (a paste event carrying the text), so the
 * editor's auto-closing of brackets and comments does not add to it; then checks what shows.
 */
async function replaceCode(page: Page, code: string) {
  await editor(page).locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await expect.poll(() => shownCode(page)).toBe("");
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document.activeElement!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, code);
  await expect.poll(() => shownCode(page)).toBe(code.replace(/\s+/g, ""));
}

const GOOD = `export default /** @satisfies {Capability.Module} */ ({
  actions: {
    async run(input, ctx) {
      ctx.log("shouting", input.value);
      return { result: String(input.value).toUpperCase() + "!" };
    },
  },
});
`;

test("Code method: markers for syntax and type errors, completion of ctx.log, format on save, test in the sandbox, publish", async ({ page }) => {
  test.setTimeout(120_000);
  const id = unique();
  const foreign: string[] = [];
  const workers: string[] = [];
  const problems: string[] = [];
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (!/^(data|blob|about):/.test(req.url()) && url.hostname !== "localhost" && url.hostname !== "127.0.0.1") foreign.push(req.url());
  });
  page.on("worker", (w) => workers.push(w.url()));
  page.on("pageerror", (err) => problems.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Refused to|Content Security Policy|worker/i.test(msg.text())) problems.push(msg.text());
  });

  await page.goto("/builder/new");
  const code = page.getByRole("radiogroup", { name: "Method" }).getByRole("radio", { name: "Code" });
  await hydrated(code);
  await code.click();
  await expect(code).toHaveAttribute("aria-checked", "true");

  const steps = page.getByRole("tablist", { name: "Steps" });
  await steps.getByRole("tab", { name: "Basics" }).click();
  await page.getByLabel("Name", { exact: true }).fill(`Shout ${id}`);
  await page.getByLabel("Slug", { exact: true }).fill(`shout-${id}`);

  await steps.getByRole("tab", { name: "Actions" }).click();
  await expect(editor(page)).toHaveAttribute("data-monaco-ready", "true", { timeout: 30_000 });
  await expect(editor(page).locator(".monaco-editor")).toBeVisible();

  // A syntax error: a marker (squiggle) and the status line counts it.
  await replaceCode(page, GOOD.replace('+ "!" };', '+ "!" ;'));
  await expect(editor(page).locator(".squiggly-error").first()).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => Number(await status(page).getAttribute("data-errors")), { timeout: 20_000 }).toBeGreaterThan(0);

  // Fixed: no marker left.
  await replaceCode(page, GOOD);
  await expect(status(page)).toHaveAttribute("data-errors", "0", { timeout: 20_000 });
  await expect(status(page)).toContainText("No errors");
  await expect(editor(page).locator(".squiggly-error")).toHaveCount(0);

  // A type error: the action's input has no field `valeu` (types come from the Actions step).
  await replaceCode(page, GOOD.replace("String(input.value)", "String(input.valeu)"));
  await expect.poll(async () => Number(await status(page).getAttribute("data-errors")), { timeout: 20_000 }).toBeGreaterThan(0);
  await expect(status(page)).toContainText("valeu");

  // Completion: `ctx.` offers log (and config, secrets, utils), typed from the .d.ts.
  await replaceCode(page, GOOD);
  await expect(status(page)).toHaveAttribute("data-errors", "0", { timeout: 20_000 });
  // The caret at the end of the ctx.log line, then a new line in the function's body.
  await editor(page).locator(".view-line").filter({ hasText: "shouting" }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("ctx.");
  await expect.poll(() => shownCode(page)).toContain('input.value);ctx.return');
  // Ctrl+Space asks for suggestions here (typing "." may already have opened them).
  await page.keyboard.press("Control+Space");
  const suggest = page.locator(".suggest-widget");
  await expect(suggest).toBeVisible({ timeout: 20_000 });
  await expect(suggest.getByRole("option", { name: /^log\b/ })).toBeVisible();
  await expect(suggest.getByRole("option", { name: /^secrets\b/ })).toBeVisible();
  // Choosing it completes the call.
  await suggest.getByRole("option", { name: /^log\b/ }).click();
  await expect(suggest).toBeHidden();
  await expect.poll(() => shownCode(page)).toContain("ctx.logreturn");

  // Format on save: badly indented code comes back formatted, and no download/save dialog opens.
  let downloads = 0;
  page.on("download", () => downloads++);
  await replaceCode(page, GOOD.replace('      ctx.log("shouting", input.value);', 'ctx.log(  "shouting",input.value )'));
  await page.keyboard.press("ControlOrMeta+S");
  await expect(editor(page).locator(".view-lines")).toContainText('ctx.log("shouting", input.value)', { timeout: 20_000 });
  await expect(editor(page).locator(".view-lines")).not.toContainText('"shouting",input');
  await expect(status(page)).toContainText("Formatted");
  expect(downloads).toBe(0);
  await expect(status(page)).toHaveAttribute("data-errors", "0", { timeout: 20_000 });

  // Test in the real sandbox: input → output.
  await steps.getByRole("tab", { name: "Test" }).click();
  const testStep = page.getByTestId("test-step");
  await expect(testStep).toBeVisible();
  await testStep.getByLabel(/^value\b/).fill("hello");
  await page.getByTestId("test-run").click();
  await expect(page.getByTestId("test-status")).toHaveText("Succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("test-output")).toContainText('"result": "HELLO!"');
  await expect(page.getByTestId("test-logs")).toContainText("shouting");

  // Publish, private.
  await page.getByRole("button", { name: "Publish", exact: true }).first().click();
  const dialog = page.getByTestId("publish-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("radio", { name: /private/i }).check();
  await dialog.getByLabel("Changelog").fill("First version: shouts its input.");
  await dialog.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(dialog.getByRole("status")).toContainText(`shout-${id}`, { timeout: 30_000 });
  await expect(dialog.getByRole("status")).toContainText("published (private)");
  await expect(dialog.getByRole("link", { name: "Open the capability page" })).toBeVisible();
  const published = await (await page.request.get(`/api/capabilities/shout-${id}`)).json();
  expect(JSON.stringify(published)).toContain(`shout-${id}`);

  // Monaco and its TypeScript worker came from our own origin, without CSP trouble.
  expect(foreign).toEqual([]);
  expect(workers.length).toBeGreaterThan(0);
  expect(problems).toEqual([]);
});
