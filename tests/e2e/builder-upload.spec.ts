// The builder's Upload method end to end (issue 7): drop the seed's weather YAML on the drop
// zone (a real drop event carrying the file), see the registry's report ask for API_KEY (a
// required secret), save it as a draft, and find the draft after a reload. A broken copy
// shows its error with the path and the line it is on.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./e2e-env";

const WEATHER = readFileSync(path.join(import.meta.dirname, "../fixtures/manifests/weather-lookup.yaml"), "utf8");

/** Drops a file on an element the way a browser does: dragenter/dragover/drop with a DataTransfer. */
async function dropFile(page: Page, testId: string, name: string, text: string) {
  const dataTransfer = await page.evaluateHandle(
    ([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], n, { type: "application/yaml" }));
      return dt;
    },
    [name, text] as const,
  );
  const zone = page.getByTestId(testId);
  await zone.dispatchEvent("dragenter", { dataTransfer });
  await zone.dispatchEvent("dragover", { dataTransfer });
  await zone.dispatchEvent("drop", { dataTransfer });
}

async function openUpload(page: Page) {
  await page.goto("/builder/new");
  const upload = page.getByRole("radiogroup", { name: "Method" }).getByRole("radio", { name: "Upload" });
  await hydrated(upload);
  await upload.click();
  await expect(upload).toHaveAttribute("aria-checked", "true");
  await page.getByRole("tablist", { name: "Steps" }).getByRole("tab", { name: "Actions" }).click();
  await hydrated(page.getByTestId("builder-upload-dropzone"));
}

test("Upload: drop the weather YAML, the report asks for API_KEY, save as draft, it survives a reload", async ({ page }) => {
  await openUpload(page);
  await dropFile(page, "builder-upload-dropzone", "weather-lookup.yaml", WEATHER);

  const report = page.getByTestId("builder-upload-report");
  await expect(report).toHaveAttribute("data-state", "valid", { timeout: 15_000 });
  await expect(page.getByTestId("builder-upload-verdict")).toHaveText("Valid manifest");
  await expect(report).toContainText("Weather Information");
  const apiKey = page.getByTestId("builder-upload-config-key").filter({ hasText: "API_KEY" });
  await expect(apiKey).toBeVisible();
  await expect(apiKey).toContainText("secret");
  await expect(apiKey).toContainText("required");
  await expect(page.getByTestId("builder-upload-text")).toHaveValue(WEATHER);

  await page.getByRole("button", { name: "Save as draft" }).click();
  await expect(page.getByTestId("draft-status")).toHaveText("Saved", { timeout: 20_000 });
  await expect(page).toHaveURL(/[?&]draft=drf_|\/builder\/weather-lookup/);
  const draftId = new URL(page.url()).searchParams.get("draft");

  // The draft is stored and listed, with the uploaded capability's slug and name.
  const list = (await (await page.request.get("/api/builder/drafts")).json()) as { items: { id: string; slug: string | null; name: string }[] };
  const mine = list.items.find((d) => (draftId ? d.id === draftId : d.slug === "weather-lookup"));
  expect(mine).toMatchObject({ slug: "weather-lookup", name: "Weather Information" });

  // A reload reopens it: the method is still Upload and the configuration asks for API_KEY.
  await page.reload();
  const upload = page.getByRole("radiogroup", { name: "Method" }).getByRole("radio", { name: "Upload" });
  await hydrated(upload);
  await expect(upload).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("draft-status")).toHaveText("Saved");
  const steps = page.getByRole("tablist", { name: "Steps" });
  await steps.getByRole("tab", { name: "Actions" }).click();
  await expect(page.getByRole("tabpanel")).toContainText("weather-lookup.yaml");
  await steps.getByRole("tab", { name: "Configuration" }).click();
  await expect.poll(() => page.getByRole("tabpanel").locator("input, select").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(expect.arrayContaining(["API_KEY", "secret"]));
});

test("Upload: an invalid manifest shows each error with its path and line", async ({ page }) => {
  await openUpload(page);
  const broken = WEATHER.replace('type: "string"\n          required: true', 'type: "strin"\n          required: true');
  // Pasting works as well as dropping.
  await page.getByTestId("builder-upload-text").fill(broken);
  const report = page.getByTestId("builder-upload-report");
  await expect(report).toHaveAttribute("data-state", "invalid", { timeout: 15_000 });
  const error = page.getByTestId("builder-upload-error").first();
  await expect(error).toHaveAttribute("data-path", "actions[0].inputs[0].type");
  await expect(error).toHaveAttribute("data-line", "16");
  await expect(error).toContainText("expected one of");
  // "line 16" puts the caret on that line of the text.
  await error.getByRole("button", { name: "Show line 16" }).click();
  const selected = await page.getByTestId("builder-upload-text").evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
  expect(selected).toContain('type: "strin"');
});
