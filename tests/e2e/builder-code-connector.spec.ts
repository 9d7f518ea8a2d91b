// The builder's API-connector form end to end (issue 7): base URL, an auth kind whose secret
// the installer will enter, a path whose {placeholder} is checked against the action's inputs
// as you type (the error goes away once it names a real input), query and mapping rows, and
// the manifest panel showing the api/endpoints the form produces.
import { expect, test } from "@playwright/test";
import { hydrated } from "./e2e-env";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

test("API connector: live validation of the endpoint, auth secrets, and the manifest it produces", async ({ page }) => {
  const id = unique();
  await page.goto("/builder/new");
  const connector = page.getByRole("radiogroup", { name: "Method" }).getByRole("radio", { name: "API connector" });
  await hydrated(connector);
  await connector.click();
  await expect(connector).toHaveAttribute("aria-checked", "true");

  const steps = page.getByRole("tablist", { name: "Steps" });
  await steps.getByRole("tab", { name: "Basics" }).click();
  await page.getByLabel("Name", { exact: true }).fill(`Converter ${id}`);
  await page.getByLabel("Slug", { exact: true }).fill(`converter-${id}`);
  await steps.getByRole("tab", { name: "Actions" }).click();

  const form = page.getByTestId("connector-form");
  await expect(form).toBeVisible();
  // An empty base URL is an error at once.
  await expect(form.getByTestId("connector-errors")).toContainText("api.base_url");
  await form.getByLabel("Base URL").fill("https://api.converter.example.com/v1");
  await expect(form.locator('[data-testid="connector-errors"] [data-path="api.base_url"]')).toHaveCount(0);

  // API key auth: its secret becomes configuration the installer enters.
  await form.getByLabel("Authentication").selectOption("api_key");
  await expect(form.getByLabel("Header name")).toHaveValue("X-API-Key");
  await expect(form.getByTestId("connector-secrets")).toContainText("API_KEY");
  await form.getByLabel("Key secret").fill("CONVERTER_KEY");
  await expect(form.getByTestId("connector-secrets")).toContainText("CONVERTER_KEY");

  // The path's placeholder must be an input of the action (the default action "run" has "value").
  const path = form.getByLabel("Path of run");
  await path.fill("/convert/{valu}");
  await expect(form.getByTestId("connector-endpoint").getByText("{valu} is not an input of run")).toBeVisible();
  await expect(form.locator('[data-testid="connector-errors"] [data-path="endpoints[0].path"]')).toContainText("{valu} is not an input of run");
  await expect(path).toHaveAttribute("aria-invalid", "true");
  await path.fill("/convert/{value}");
  await expect(form.getByText("{valu} is not an input of run")).toHaveCount(0);
  await expect(form.getByRole("list", { name: "Inputs of run" }).getByRole("button", { name: /value/ })).toBeDisabled();

  // A query parameter and a response mapping.
  await form.getByRole("button", { name: "Add a query parameter to run" }).click();
  await form.getByLabel("Query parameters 1 name (run)").fill("unit");
  await form.getByLabel("Query parameters 1 value (run)").fill("${input.nope}");
  await expect(form.getByTestId("connector-errors")).toContainText('unknown input "nope"');
  await form.getByLabel("Query parameters 1 value (run)").fill("km");
  await form.getByRole("button", { name: "Map an output" }).click();
  await form.getByLabel("Response path 1 of run").fill("data.result");
  await expect(form.getByTestId("connector-errors")).toHaveCount(0);
  await expect(form.getByTestId("connector-endpoint")).toContainText("Valid");

  // The manifest panel shows what the form produced.
  const manifest = page.getByRole("region", { name: "Manifest" }).getByLabel("Manifest text");
  await expect(manifest).toHaveValue(/type: api-connector/);
  await expect(manifest).toHaveValue(/base_url: https:\/\/api\.converter\.example\.com\/v1/);
  await expect(manifest).toHaveValue(/path: \/convert\/\{\{value\}\}/);
  await expect(manifest).toHaveValue(/value_from: CONVERTER_KEY/);
  await expect(manifest).toHaveValue(/result: data\.result/);
});
