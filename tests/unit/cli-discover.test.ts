// Manifest discovery and local capability folders: nested manifests found, node_modules and
// dot folders skipped, symlink loops ended, one manifest per folder; `source_file` inlined
// only from inside the folder; and the CLI's validator path imports no database code.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { findManifests } from "@/lib/cli/discover-manifests";
import { readLocalCapability, resolveManifestPath } from "@/lib/cli/local-capability";
import { readPublishState, writePublishRecord } from "@/lib/cli/publish-state";
import { INIT_TYPES, scaffold, slugFromName } from "@/lib/cli/scaffold";
import { manifestContentHash, validateManifest } from "@/lib/registry/parse-manifest";

const root = mkdtempSync(path.join(os.tmpdir(), "cli-discover-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const put = (rel: string, content: string) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
};

const code = (slug: string) => `type: code\nslug: ${slug}\nname: ${slug}\nversion: 1.0.0\nactions:\n  - id: run\nsource_file: index.js\n`;

describe("findManifests", () => {
  test("finds nested manifests, skips node_modules and dot folders, and ends symlink loops", () => {
    const base = path.join(root, "walk");
    put("walk/a/capability.yaml", "x: 1");
    put("walk/b/c/d/capability.json", "{}");
    put("walk/b/c/d/capability.yaml", "x: 1"); // one per folder: yaml first
    put("walk/node_modules/dep/capability.yaml", "x: 1");
    put("walk/a/node_modules/dep/capability.yaml", "x: 1");
    put("walk/.git/capability.yaml", "x: 1");
    put("walk/.hidden/deep/capability.yaml", "x: 1");
    symlinkSync(base, path.join(base, "b", "loop"));
    symlinkSync(path.join(base, "missing"), path.join(base, "dangling"));
    const skipped: string[] = [];
    const found = findManifests([base], { onSkip: (d) => skipped.push(d) }).map((f) => path.relative(base, f));
    expect(found).toEqual(["a/capability.yaml", "b/c/d/capability.yaml"]);
    expect(skipped.some((s) => s.endsWith("dangling"))).toBe(true);
  });

  test("a symlinked folder outside the root is followed once; roots that overlap list nothing twice", () => {
    put("outside/linked/capability.yaml", "x: 1");
    put("walk2/capability.yaml", "x: 1");
    symlinkSync(path.join(root, "outside"), path.join(root, "walk2", "ext"));
    const found = findManifests([path.join(root, "walk2"), path.join(root, "walk2", "ext"), path.join(root, "outside")]);
    expect(found.map((f) => path.relative(root, f))).toEqual(["walk2/capability.yaml", "walk2/ext/linked/capability.yaml"]);
  });
});

describe("readLocalCapability", () => {
  test("inlines source_file into source and validates with the registry's validator", () => {
    put("cap/capability.yaml", code("cap-one"));
    put("cap/index.js", "export default { actions: { run: () => 1 } };\n");
    const cap = readLocalCapability(resolveManifestPath(root, "cap"));
    expect(cap.report.valid).toBe(true);
    expect(cap.sourceFile).toBe("index.js");
    expect(cap.document).toMatchObject({ source: "export default { actions: { run: () => 1 } };\n" });
    expect(cap.document).not.toHaveProperty("source_file");
    // The hash is the registry's hash of the normalised manifest, as the server computes it.
    expect(cap.report.contentHash).toBe(manifestContentHash(validateManifest(cap.document).manifest!));
  });

  test("a source_file outside the folder (by path or by symlink), missing, or next to source is an error at its path", () => {
    put("secret.txt", "not code");
    put("esc1/capability.yaml", code("esc").replace("index.js", "../secret.txt"));
    put("esc2/capability.yaml", code("esc"));
    symlinkSync(path.join(root, "secret.txt"), path.join(root, "esc2", "index.js"));
    put("esc3/capability.yaml", code("esc").replace("index.js", "nope.js"));
    put("esc4/capability.yaml", code("esc") + "source: inline\n");
    put("esc4/index.js", "x");
    put("esc5/capability.yaml", code("esc").replace("index.js", "/etc/passwd"));
    const messages = ["esc1", "esc2", "esc3", "esc4", "esc5"].map((d) => {
      const r = readLocalCapability(resolveManifestPath(root, d)).report;
      expect(r.valid).toBe(false);
      expect(r.errors[0]!.path).toBe("source_file");
      return r.errors[0]!.message;
    });
    expect(messages).toEqual([
      expect.stringContaining("outside the capability's folder"),
      expect.stringContaining("links outside"),
      expect.stringContaining("does not exist"),
      expect.stringContaining("not both"),
      expect.stringContaining("outside the capability's folder"),
    ]);
  });

  test("a folder without a manifest is not found, with a next step", () => {
    mkdirSync(path.join(root, "empty"));
    expect(() => resolveManifestPath(root, "empty")).toThrow(expect.objectContaining({ exitCode: 4, hint: expect.stringContaining("capreg init") }));
  });
});

describe("init scaffolds", () => {
  test.each(INIT_TYPES)("%s: the scaffold validates and has an example", (type) => {
    const dir = path.join(root, `init-${type}`);
    mkdirSync(dir);
    for (const f of scaffold(type, `my-${type}`)) writeFileSync(path.join(dir, f.path), f.content);
    const cap = readLocalCapability(path.join(dir, "capability.yaml"));
    expect(cap.report.errors).toEqual([]);
    expect(cap.report.manifest!.type).toBe(type);
    expect(cap.report.manifest!.examples.length).toBeGreaterThan(0);
  });

  test("slugs from folder names", () => {
    expect(slugFromName("My Weather Tool!")).toBe("my-weather-tool");
    expect(slugFromName("---")).toBe("my-capability");
  });
});

describe("publish state", () => {
  test("is kept per server and survives a corrupt file", () => {
    const dir = path.join(root, "state");
    mkdirSync(dir);
    writePublishRecord(dir, "http://a", { slug: "x", version: "1.0.0", contentHash: "sha256:1", publishedAt: "t" });
    writePublishRecord(dir, "http://b", { slug: "x", version: "2.0.0", contentHash: "sha256:2", publishedAt: "t" });
    expect(Object.keys(readPublishState(dir))).toEqual(["http://a", "http://b"]);
    writeFileSync(path.join(dir, ".capreg", "state.json"), "{oops");
    expect(readPublishState(dir)).toEqual({});
  });
});

describe("import graph", () => {
  test("the CLI reaches no database, sandbox or Next.js module (it must run offline and execute nothing)", () => {
    const repo = path.resolve(import.meta.dirname, "../..");
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      // Static imports and re-exports; `import type` is erased and cannot load anything.
      for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm)) {
        const spec = m[1]!;
        if (spec.startsWith(".")) {
          const base = path.resolve(path.dirname(file), spec);
          const candidates = [`${base}.ts`, path.join(base, "index.ts")];
          const next = candidates.find((c) => {
            try {
              readFileSync(c);
              return true;
            } catch {
              return false;
            }
          });
          if (!next) throw new Error(`${file}: cannot resolve ${spec}`);
          visit(next);
        } else external.add(spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/"));
      }
    };
    visit(path.join(repo, "lib/cli/main.ts"));
    expect(seen.has(path.join(repo, "lib/registry/parse-manifest.ts"))).toBe(true);
    const bad = [...seen].filter((f) => /lib\/(db|execution\/(sandbox|executor|queue))\//.test(f));
    expect(bad).toEqual([]);
    for (const forbidden of ["pg", "@prisma/client", "@prisma/adapter-pg", "isolated-vm", "next", "react"]) expect(external.has(forbidden), forbidden).toBe(false);
    expect([...external].filter((e) => !e.startsWith("node:")).sort()).toEqual(["semver", "yaml", "zod"]);
  });
});
