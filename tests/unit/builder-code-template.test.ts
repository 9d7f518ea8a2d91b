// The code builder's starter module: it type-checks (checkJs, strict, ES2022 only, like the
// editor) against the .d.ts the editor installs for the same actions, it passes the
// registry's validation as a code manifest, and it returns every declared output. Also the
// editor's types manifest: secrets apart when typed, bare keys on both config and secrets.
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { codeTemplate, editorTypesManifest, type CodeTemplateAction } from "@/lib/builder/code/code-template";
import { codeTypeDefinitions } from "@/lib/builder/code/ctx-types";
import { validateManifest } from "@/lib/registry/parse-manifest";
import { SANDBOX_GLOBALS_DTS } from "@/lib/builder/code/sandbox-globals";

/** Type-checks a JS module against the declarations as the editor does; returns the diagnostics. */
function check(dts: string, source: string): string[] {
  const files = new Map([
    ["/capability.d.ts", dts],
    ["/globals.d.ts", SANDBOX_GLOBALS_DTS],
    ["/action.js", source],
  ]);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    lib: ["lib.es2022.d.ts"],
    strict: true,
    noImplicitAny: false,
    allowJs: true,
    checkJs: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => files.has(f) || ts.sys.fileExists(f);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = files.get(f);
    return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile(f, lang, onError, create);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

const actions: CodeTemplateAction[] = [
  {
    id: "convert",
    inputs: [
      { name: "value", type: "number", required: true },
      { name: "unit", type: "string" },
    ],
    outputs: [
      { name: "result", type: "number", required: true },
      { name: "label", type: "string", required: true },
      { name: "ok", type: "boolean", required: true },
      { name: "parts", type: "array", required: true },
      { name: "meta", type: "object", required: true },
      { name: "raw", type: "any" },
    ],
  },
  { id: "get-user", inputs: [{ name: "id", type: "integer", required: true }], outputs: [] },
];

/** Evaluates the module's default export without a sandbox (it is our own code, not a plugin's). */
async function loadModule(source: string): Promise<{ actions: Record<string, (input: unknown, ctx: unknown) => Promise<unknown>> }> {
  const url = "data:text/javascript;base64," + Buffer.from(source).toString("base64");
  return ((await import(/* @vite-ignore */ url)) as { default: { actions: Record<string, (input: unknown, ctx: unknown) => Promise<unknown>> } }).default;
}

describe("codeTemplate", () => {
  const source = codeTemplate(actions);

  it("type-checks against the editor's definitions for the same actions", () => {
    const dts = codeTypeDefinitions(editorTypesManifest({ actions, configKeys: [] }));
    expect(check(dts, source)).toEqual([]);
  });

  it("is flagged when an action is missing from the definitions, so the check above can fail", () => {
    const dts = codeTypeDefinitions(editorTypesManifest({ actions: [actions[0]!], configKeys: [] }));
    expect(check(dts, source).join("\n")).toMatch(/get-user/);
  });

  it("passes the registry's validation as a code manifest", () => {
    const report = validateManifest({ type: "code", slug: "units", name: "Units", version: "1.0.0", actions, source });
    expect(report.errors).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it("exports one function per action returning a placeholder for every declared output", async () => {
    const mod = await loadModule(source);
    expect(Object.keys(mod.actions)).toEqual(["convert", "get-user"]);
    const logs: unknown[][] = [];
    const ctx = { log: (...v: unknown[]) => logs.push(v) };
    expect(await mod.actions.convert!({ value: 1 }, ctx)).toEqual({ result: 0, label: "", ok: false, parts: [], meta: {}, raw: null });
    expect(await mod.actions["get-user"]!({ id: 2 }, ctx)).toEqual({});
    expect(logs).toEqual([
      ["convert called with", { value: 1 }],
      ["get-user called with", { id: 2 }],
    ]);
  });

  it("skips ids and outputs the registry would refuse, and duplicates", async () => {
    const src = codeTemplate([
      { id: "ok", inputs: [], outputs: [{ name: "a", type: "string" }, { name: "a", type: "number" }, { name: "bad name", type: "string" }] },
      { id: "ok", inputs: [], outputs: [] },
      { id: "", inputs: [], outputs: [] },
      { id: "9lives", inputs: [], outputs: [] },
    ]);
    const mod = await loadModule(src);
    expect(Object.keys(mod.actions)).toEqual(["ok"]);
    expect(await mod.actions.ok!({}, { log: () => {} })).toEqual({ a: "" });
  });

  it("gives an empty but valid module for no actions, and is deterministic", async () => {
    expect((await loadModule(codeTemplate([]))).actions).toEqual({});
    expect(codeTemplate(structuredClone(actions))).toBe(source);
  });
});

describe("editorTypesManifest", () => {
  it("puts typed secrets on ctx.secrets only and types fetch by permission", () => {
    const dts = codeTypeDefinitions(
      editorTypesManifest({
        actions,
        configKeys: ["API_KEY", "REGION"],
        configuration: [
          { key: "API_KEY", type: "secret", required: true },
          { key: "REGION", type: "string" },
        ],
        permissions: ["network.http.get"],
      }),
    );
    const good = `export default /** @satisfies {Capability.Module} */ ({
  actions: {
    async convert(input, ctx) {
      const r = await ctx.fetch("https://api.example.com/?k=" + ctx.secrets.API_KEY + (ctx.config.REGION ?? ""));
      return { result: input.value * 2, label: String(r.status), ok: r.ok, parts: [], meta: {} };
    },
    "get-user"(input) { return { id: input.id }; },
  },
});`;
    expect(check(dts, good)).toEqual([]);
    const leaky = good.replace("ctx.secrets.API_KEY", "ctx.config.API_KEY");
    expect(check(dts, leaky).join("\n")).toMatch(/API_KEY/);
    const noNet = codeTypeDefinitions(editorTypesManifest({ actions, configKeys: ["API_KEY"], configuration: [{ key: "API_KEY", type: "secret" }] }));
    expect(check(noNet, good).join("\n")).toMatch(/fetch/);
  });

  it("offers bare keys on both config and secrets, optional", () => {
    const dts = codeTypeDefinitions(editorTypesManifest({ actions: [], configKeys: ["TOKEN", ""] }));
    expect(dts).toMatch(/interface Config \{\n\s+TOKEN\?: string;/);
    expect(dts).toMatch(/interface Secrets \{\n\s+TOKEN\?: string;/);
  });

  it("flags a misspelt input and a DOM global (the sandbox has neither)", () => {
    const dts = codeTypeDefinitions(editorTypesManifest({ actions, configKeys: [] }));
    const typo = codeTemplate(actions).replace('ctx.log("convert called with", input);', "ctx.log(input.valeu, document.title);");
    const messages = check(dts, typo).join("\n");
    expect(messages).toMatch(/valeu/);
    expect(messages).toMatch(/document/);
  });
});
