// The builder's Test step end to end (issue 7 step 4): a code capability pasted into the
// Upload method, then Test: the form generated from the action's inputs, a masked
// throwaway secret, Run (and Ctrl+Enter) in the real sandbox with output, logs and
// resources; "Save as test case" with the output as expected, Run all → Passed, an edited
// wrong expectation → Failed with the difference, and a runtime error with its line.
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const SOURCE = [
  "export default { actions: {",
  "  async shout(input, ctx) {",
  "    ctx.log('key ' + ctx.secrets.API_KEY);",
  "    return { text: input.text.toUpperCase(), times: input.times };",
  "  },",
  "  async boom() {",
  "    const x = 1;",
  "    throw new Error('boom ' + x);",
  "  } } };",
];

const YAML = [
  "type: code",
  "slug: e2e-shout",
  "name: E2E shout",
  "version: 0.1.0",
  "description: Shouts the text back.",
  "permissions: [compute.light]",
  "configuration:",
  "  - key: API_KEY",
  "    type: secret",
  "actions:",
  "  - id: shout",
  "    name: Shout",
  "    inputs:",
  "      - { name: text, type: string, required: true }",
  "      - { name: times, type: integer, default: 1 }",
  "  - id: boom",
  "    name: Boom",
  "source: |",
  ...SOURCE.map((l) => `  ${l}`),
].join("\n");

async function openTestStep(page: Page) {
  await page.goto("/builder/new");
  const upload = page.getByRole("radiogroup", { name: "Method" }).getByRole("radio", { name: "Upload" });
  await hydrated(upload);
  await upload.click();
  await page.getByRole("tablist", { name: "Steps" }).getByRole("tab", { name: "Actions" }).click();
  await hydrated(page.getByTestId("builder-upload-text"));
  await page.getByTestId("builder-upload-text").fill(YAML);
  await expect(page.getByTestId("builder-upload-report")).toHaveAttribute("data-state", "valid", { timeout: 15_000 });
  // The checked text reaches the wizard only when it is saved as the draft.
  await page.getByRole("button", { name: "Save as draft" }).click();
  await expect(page.getByTestId("draft-status")).toHaveText("Saved", { timeout: 20_000 });
  await page.getByRole("tablist", { name: "Steps" }).getByRole("tab", { name: "Test" }).click();
  const step = page.getByTestId("test-step");
  await hydrated(page.getByTestId("test-run"));
  await expect(page.getByTestId("test-run")).toBeEnabled({ timeout: 10_000 });
  return step;
}

test("Test step: run with a form and a masked secret, save a test case, run all, see a failure's diff and an error's line", async ({ page }) => {
  const step = await openTestStep(page);
  await expect(step.getByLabel("Action", { exact: true })).toHaveValue("shout");

  await step.getByLabel(/^text/).fill("hello");
  await step.getByLabel(/^times/).fill("2");
  const secret = step.getByLabel(/API_KEY/);
  await expect(secret).toHaveAttribute("type", "password");
  await secret.fill("sk-e2e-secret-123");
  await step.getByTestId("test-run").click();

  await expect(step.getByTestId("test-status")).toHaveText("Succeeded", { timeout: 20_000 });
  await expect(step.getByTestId("test-output")).toContainText('"text": "HELLO"');
  await expect(step.getByTestId("test-output")).toContainText('"times": 2');
  await expect(step.getByTestId("test-logs")).toHaveText("key [REDACTED]");
  await expect(step.getByTestId("test-resources")).toContainText(/Wall\s*\d+ ms/);

  // Save the run as a test case: the output is prefilled as the expected output.
  await step.getByRole("button", { name: "Save as test case" }).click();
  const dialog = page.getByTestId("test-case-dialog");
  await dialog.getByLabel("Name").fill("shouts hello");
  await expect(dialog.getByLabel("Expected output (JSON)")).toHaveValue(/"HELLO"/);
  await dialog.getByRole("button", { name: "Save test case" }).click();
  const cases = step.getByTestId("test-cases");
  await expect(cases.getByTestId("test-case")).toHaveCount(1);
  // It is part of the manifest now, as an example without the secret.
  await expect(page.getByRole("region", { name: "Manifest" })).toContainText("shouts hello");
  await expect(page.getByRole("region", { name: "Manifest" })).not.toContainText("sk-e2e-secret-123");

  await cases.getByRole("button", { name: "Run all" }).click();
  await expect(cases.getByTestId("test-case").first()).toContainText("Passed", { timeout: 20_000 });

  // A wrong expectation fails and shows the difference by path.
  await cases.getByRole("button", { name: "Edit shouts hello" }).click();
  await dialog.getByLabel("Expected output (JSON)").fill('{ "text": "HI", "times": 2 }');
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await cases.getByRole("button", { name: "Run shouts hello" }).click();
  await expect(cases.getByTestId("test-case").first()).toContainText("Failed", { timeout: 20_000 });
  const diff = cases.getByRole("table", { name: "Differences for shouts hello" });
  await expect(diff).toContainText("output.text");
  await expect(diff).toContainText('"HI"');
  await expect(diff).toContainText('"HELLO"');

  // A runtime error comes back with the line of the throw in the source; Ctrl+Enter runs.
  await step.getByLabel("Action", { exact: true }).selectOption("boom");
  await step.getByLabel("Action", { exact: true }).press("Control+Enter");
  await expect(step.getByTestId("test-error")).toContainText("boom 1", { timeout: 20_000 });
  await expect(step.getByTestId("test-error-location")).toHaveText(`At line ${SOURCE.findIndex((l) => l.includes("throw")) + 1}, column 11`);
});
