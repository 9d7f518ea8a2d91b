// The security report's static analysis: the tokenizer keeps strings, comments, template
// text and regular expressions apart from code; host abilities are found through the
// context object and its aliases; dynamic code is flagged; the verdict follows findings.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { checkManifestText, validateManifest } from "../../lib/registry/parse-manifest";
import { computeSecurityReport } from "../../lib/registry/security-report";
import { tokenizeJs } from "../../lib/registry/tokenize-js";
import { decodeCursor, encodeCursor } from "../../lib/registry/cursor";
import { summarize } from "../../lib/registry/refresh-listing";
import { listingVersion } from "../../lib/registry/version-order";

const idents = (src: string) => tokenizeJs(src).filter((t) => t.kind === "ident").map((t) => t.value);

function reportFor(source: string, extra: Record<string, unknown> = {}) {
  const r = validateManifest({ type: "code", slug: "t", name: "T", version: "1.0.0", actions: [{ id: "run" }], source, ...extra });
  expect(r.errors).toEqual([]);
  return computeSecurityReport(r.manifest!);
}

describe("tokenizer", () => {
  test("strings and comments are not code", () => {
    expect(idents(`const a = "ctx.fetch(x)"; // ctx.kv.set\n/* eval(1) */ let b = 'eval'`)).toEqual(["const", "a", "let", "b"]);
  });

  test("template text is not code, but its ${} expressions are", () => {
    const tokens = tokenizeJs("const u = `eval(${ctx.fetch(`x${y}`)}) done`;");
    expect(tokens.filter((t) => t.kind === "ident").map((t) => t.value)).toEqual(["const", "u", "ctx", "fetch", "y"]);
    expect(tokens.filter((t) => t.kind === "template").map((t) => t.value)).toEqual(["eval(", "x", "", ") done"]);
  });

  test("a regular expression is told from a division", () => {
    const tokens = tokenizeJs("const r = /ctx.fetch\\(['\"]/g; const d = a / b / c; return /x/.test(s)");
    expect(tokens.filter((t) => t.kind === "regex").map((t) => t.value)).toEqual(["ctx.fetch\\(['\"]", "x"]);
    expect(tokens.filter((t) => t.kind === "punct" && t.value === "/")).toHaveLength(2);
  });

  test("line numbers survive multi-line comments and templates", () => {
    const tokens = tokenizeJs("/* a\nb */\nconst x = `1\n2`;\neval(x)");
    expect(tokens.find((t) => t.value === "eval")?.line).toBe(5);
  });
});

describe("host abilities", () => {
  test("kv reads, writes and deletes map to data.read / data.write / data.delete", () => {
    const r = reportFor(`export default { actions: { async run(i, ctx) { await ctx.kv.get("a"); await ctx.kv.set("a", 1); await ctx.kv.delete("a"); } } }`, { permissions: ["data.read", "data.write", "data.delete"] });
    expect(r.permissions).toEqual({ requested: ["data.delete", "data.read", "data.write"], used: ["data.delete", "data.read", "data.write"], unused: [], usedWithoutPermission: [] });
    expect(r.verdict).toBe("clean");
  });

  test("aliases and destructuring are followed; a POST fetch needs network.http.post", () => {
    const r = reportFor(
      `export default { actions: { async run(input, context) {
        const { kv: store } = context;
        const send = context.fetch;
        await store.delete(input.key);
        await send("https://hooks.example.com/x", { method: "POST", body: "{}" });
      } } }`,
      { permissions: ["network.http.get"], allowed_domains: ["hooks.example.com"] },
    );
    expect(r.permissions.used).toEqual(["data.delete", "network.http.post"]);
    expect(r.permissions.usedWithoutPermission).toEqual(["data.delete", "network.http.post"]);
    expect(r.permissions.unused).toEqual(["network.http.get"]);
    expect(r.findings.filter((f) => f.code === "use_without_permission").map((f) => f.location)).toEqual(["source:4", "source:5"]);
  });

  test("ctx['fetch'] counts; ctx[name] cannot be checked and says so", () => {
    const r = reportFor(`export default { actions: { async run(i, ctx) { await ctx["fetch"]("https://a.example.com"); return ctx[i.name]; } } }`, {
      permissions: ["network.http.get"],
      allowed_domains: ["a.example.com"],
    });
    expect(r.permissions.used).toEqual(["network.http.get"]);
    expect(r.findings.map((f) => f.code)).toContain("dynamic_host_access");
    expect(r.verdict).toBe("warnings");
  });

  test("a fetch to a domain that is not allowed, and fetch without any allowed domain", () => {
    const r = reportFor(`export default { actions: { async run(i, ctx) { return ctx.fetch("https://evil.example.net/steal") } } }`, { permissions: ["network.http.get"] });
    expect(r.findings.map((f) => f.code).sort()).toEqual(["network_without_domains", "undeclared_domain"]);
  });

  test("log, config, secrets and utils need no permission but are listed", () => {
    const r = reportFor(`export default { actions: { async run(i, ctx) { ctx.log(ctx.config.REGION, ctx.secrets.API_KEY); return ctx.utils.mean([1]); } } }`);
    expect(r.abilities.map((a) => [a.ability, a.permission])).toEqual([
      ["ctx.config", null],
      ["ctx.log", null],
      ["ctx.secrets", null],
      ["ctx.utils", null],
    ]);
    expect(r.verdict).toBe("clean");
  });
});

describe("dynamic code", () => {
  test.each([
    ["eval(input.code)", "eval"],
    ["new Function('return 1')", "Function"],
    ["Function('return this')()", "Function"],
    ["await import('https://x.example.com/m.js')", "import()"],
    ["with (obj) { x = 1 }", "with"],
    ["setTimeout('alert(1)', 10)", "string-timer"],
    ["setInterval(`tick()`, 10)", "string-timer"],
    ["(() => {}).constructor('return 1')()", "constructor"],
  ])("%s is flagged as %s", (code, kind) => {
    const r = reportFor(`export default { actions: { async run(input, ctx) { ${code} } } }`);
    expect(r.dynamicCode.map((d) => d.kind)).toEqual([kind]);
    expect(r.verdict).toBe("warnings");
  });

  test("the same words in strings, comments or as property names are not flagged", () => {
    const r = reportFor(`// eval(x)\nexport default { actions: { async run(input) { const o = { eval: 1 }; setTimeout(() => 1, 5); return "new Function()" + o.eval; } } }`);
    expect(r.dynamicCode).toEqual([]);
  });
});

describe("other manifest types and the seed fixtures", () => {
  test("a declarative capability's uses come from its integration; extra permissions are unused", () => {
    const r = computeSecurityReport(checkManifestText(readFileSync("tests/fixtures/manifests/weather-lookup.yaml", "utf8")).manifest!);
    expect(r).toMatchObject({ analysis: "manifest", verdict: "clean", domains: ["api.weather.com"], permissions: { used: ["network.http.get"], unused: [] } });
    const extra = validateManifest({ slug: "x", name: "X", version: "1.0.0", permissions: ["data.write"], actions: [{ id: "a", integration: { endpoint: "https://api.example.com/a" } }] });
    expect(computeSecurityReport(extra.manifest!).permissions.unused).toEqual(["data.write"]);
  });

  test("data-analyzer (code) asks for data.read it never uses", () => {
    const r = computeSecurityReport(checkManifestText(readFileSync("tests/fixtures/manifests/data-analyzer.yaml", "utf8")).manifest!);
    expect(r.permissions).toMatchObject({ requested: ["compute.moderate", "data.read"], used: [], unused: ["data.read"] });
    expect(r.abilities.map((a) => a.ability)).toEqual(["ctx.utils"]);
  });

  test("workflows are not analyzed, and say so", () => {
    const r = computeSecurityReport(checkManifestText(readFileSync("tests/fixtures/manifests/invoice-processor.yaml", "utf8")).manifest!);
    expect(r).toMatchObject({ analysis: "none", verdict: "clean", findings: [expect.objectContaining({ code: "not_analyzed" })] });
  });
});

describe("small helpers", () => {
  test("cursors are opaque, tagged and checked", () => {
    const c = encodeCursor("search:rating:", [4.5, 2, "cap_x"]);
    expect(decodeCursor("search:rating:", c, 3)).toEqual([4.5, 2, "cap_x"]);
    expect(() => decodeCursor("search:installs:", c, 3)).toThrow(/cursor/);
    expect(() => decodeCursor("x", "garbage!", 1)).toThrow(/cursor/);
  });

  test("the summary is the first sentence, shortened", () => {
    expect(summarize("Converts units. Also temperatures.")).toBe("Converts units.");
    expect(summarize("a".repeat(300)).length).toBe(200);
  });

  test("the listing shows the highest listed version, not a newer one in review", () => {
    const v = (version: string, visibility: string, reviewState: string, status = "published") => ({ version, visibility, reviewState, status });
    expect(listingVersion([v("1.0.0", "public", "approved"), v("2.0.0", "public", "in_review"), v("1.5.0", "public", "approved", "yanked")])?.version).toBe("1.0.0");
    expect(listingVersion([v("1.0.0", "private", "not_required"), v("1.1.0", "private", "not_required", "yanked")])?.version).toBe("1.0.0");
  });
});

describe("validation accepts its own output", () => {
  test.each(["weather-lookup.yaml", "slack-integration.json", "invoice-processor.yaml", "currency-converter.yaml", "data-analyzer.yaml"])(
    "%s: validating the normalised manifest again gives the same manifest and hash (a stored draft can be published)",
    (file) => {
      const first = checkManifestText(readFileSync(`tests/fixtures/manifests/${file}`, "utf8"));
      const again = validateManifest(JSON.parse(JSON.stringify(first.manifest)));
      expect(again.errors).toEqual([]);
      expect(again.manifest).toEqual(first.manifest);
      expect(again.contentHash).toBe(first.contentHash);
    },
  );
});
