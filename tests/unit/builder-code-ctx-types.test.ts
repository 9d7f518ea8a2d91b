// The code editor's .d.ts: what it declares for a sample manifest, and that TypeScript,
// checking an action module written against it, accepts correct code and flags a call to
// an API ctx does not have or a misspelt input field.
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { codeTypeDefinitions, typeNameStem, type CodeTypesManifest } from "@/lib/builder/code/ctx-types";

const manifest: CodeTypesManifest = {
  actions: [
    {
      id: "search",
      name: "Search",
      description: "Searches the index.",
      inputs: [
        { name: "query", type: "string", required: true, description: "What to look for */ not a comment end" },
        { name: "limit", type: "integer", default: 10 },
        { name: "order", type: "string", enum: ["asc", "desc"] },
        { name: "tags", type: "array" },
        { name: "content-type", type: "string" },
      ],
      outputs: [{ name: "results", type: "array", required: true }],
    },
    { id: "get-user", inputs: [{ name: "id", type: "number", required: true }], outputs: [] },
    { id: "get_user", inputs: [], outputs: [] },
  ],
  configuration: [
    { key: "REGION", type: "string", required: true },
    { key: "PAGE_SIZE", type: "number", default: 20 },
    { key: "VERBOSE", type: "boolean" },
    { key: "API_KEY", type: "secret", required: true },
    { key: "EXTRA_TOKEN", type: "secret" },
  ],
  permissions: ["network.http.get", "data.read"],
};

/** Type-checks `source` (a JS module, checkJs) against the declarations; returns the diagnostics' messages. */
function check(dts: string, source: string, fileName = "action.js"): string[] {
  const files = new Map([
    ["/capability.d.ts", dts],
    [`/${fileName}`, source],
  ]);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    lib: ["lib.es2022.d.ts"],
    strict: true,
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

const GOOD = `
export default /** @satisfies {Capability.Module} */ ({
  actions: {
    async search(input, ctx) {
      ctx.log("searching", input.query.toUpperCase(), input.limit.toFixed(0), ctx.config.REGION, ctx.config.PAGE_SIZE + 1);
      /** @type {"asc" | "desc" | undefined} */
      const order = input.order;
      const res = await ctx.fetch("https://api.example.com/s?q=" + encodeURIComponent(input.query), { headers: { authorization: "Bearer " + ctx.secrets.API_KEY } });
      const data = res.ok ? res.json() : null;
      const cached = await ctx.kv.get("last");
      const rows = ctx.utils.parseCSV("a,b\\n1,2");
      const n = ctx.utils.mean(rows.map((r) => r.a));
      return { results: [data, cached, order, n, input["content-type"]], extra: true };
    },
    "get-user"(input) {
      return { id: input.id * 2 };
    },
    get_user() {
      return {};
    },
  },
});
`;

describe("codeTypeDefinitions", () => {
  const dts = codeTypeDefinitions(manifest);

  it("declares inputs with mapped types, optional unless required or defaulted, with JSDoc", () => {
    expect(dts).toContain("interface SearchInput {");
    expect(dts).toMatch(/\/\*\* What to look for \*\\\/ not a comment end \*\/\n\s+query: string;/);
    expect(dts).toMatch(/limit: number;/);
    expect(dts).toContain('order?: "asc" | "desc";');
    expect(dts).toContain("tags?: unknown[];");
    expect(dts).toContain('"content-type"?: string;');
    expect(dts).toContain("results: unknown[];");
  });

  it("declares config without secrets and secrets apart, optional unless required", () => {
    const config = dts.slice(dts.indexOf("interface Config {"), dts.indexOf("interface Secrets {"));
    expect(config).toContain("REGION: string;");
    expect(config).toContain("PAGE_SIZE: number;");
    expect(config).toContain("VERBOSE?: boolean;");
    expect(config).not.toContain("API_KEY");
    const secrets = dts.slice(dts.indexOf("interface Secrets {"), dts.indexOf("interface Ctx {"));
    expect(secrets).toContain("API_KEY: string;");
    expect(secrets).toContain("EXTRA_TOKEN?: string;");
  });

  it("puts fetch and kv on ctx only when the permissions ask for them", () => {
    expect(dts).toContain("readonly fetch: Fetch;");
    expect(dts).toContain("readonly kv: Kv;");
    const bare = codeTypeDefinitions({ ...manifest, permissions: ["compute.light"] });
    expect(bare).not.toContain("fetch");
    expect(bare).not.toMatch(/\bkv\b/);
    const postOnly = codeTypeDefinitions({ ...manifest, permissions: ["network.http.post"] });
    expect(postOnly).toContain("readonly fetch: Fetch;");
    expect(postOnly).not.toContain("readonly kv");
    expect(codeTypeDefinitions({ ...manifest, permissions: ["data.delete"] })).toContain("readonly kv: Kv;");
  });

  it("sanitises names and keeps colliding stems apart", () => {
    expect(typeNameStem("get-user")).toBe("GetUser");
    expect(typeNameStem("2fa")).toBe("_2fa");
    expect(typeNameStem("--")).toBe("_");
    expect(dts).toContain("interface GetUserInput {");
    expect(dts).toContain("interface GetUser2Input {");
    expect(dts).toContain('"get-user"(input: GetUserInput, ctx: Ctx): GetUserOutput | Promise<GetUserOutput>;');
    expect(dts).toContain("get_user(input: GetUser2Input, ctx: Ctx): GetUser2Output | Promise<GetUser2Output>;");
  });

  it("is deterministic", () => {
    expect(codeTypeDefinitions(structuredClone(manifest))).toBe(dts);
  });

  it("rejects a malformed manifest-like value with the path of the problem", () => {
    expect(() => codeTypeDefinitions({ actions: [{ id: "" }] } as CodeTypesManifest)).toThrow(/actions/);
  });

  it("compiles: correct code has no diagnostics", () => {
    expect(check(dts, GOOD)).toEqual([]);
  });

  it("compiles: an unknown ctx API is an error", () => {
    const diags = check(dts, GOOD.replace('ctx.log("searching"', 'ctx.nonexistent(); ctx.log("searching"'));
    expect(diags.join("\n")).toMatch(/Property 'nonexistent' does not exist on type 'Ctx'/);
  });

  it("compiles: a misspelt input field, a wrong type or a missing action is an error", () => {
    expect(check(dts, GOOD.replace("input.query.toUpperCase()", "input.qeury.toUpperCase()")).join("\n")).toMatch(/Property 'qeury' does not exist on type 'SearchInput'/);
    expect(check(dts, GOOD.replace("input.id * 2", "input.id.toUpperCase()")).join("\n")).toMatch(/toUpperCase/);
    expect(check(dts, GOOD.replace(/get_user\(\) \{\s*return \{\};\s*\},/, "")).join("\n")).toMatch(/get_user/);
  });

  it("compiles: fetch is absent without a network permission", () => {
    const noNet = codeTypeDefinitions({ ...manifest, permissions: ["data.read"] });
    expect(check(noNet, GOOD).join("\n")).toMatch(/Property 'fetch' does not exist on type 'Ctx'/);
  });
});
