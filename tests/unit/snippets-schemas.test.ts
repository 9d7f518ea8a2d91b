// Pure parts of snippets: input schemas (tags normalised, every error path), the prefix
// tsquery built from a search box (only letters and digits reach to_tsquery), and the
// page's preset guess and preview body per language.
import { describe, expect, test } from "vitest";
import { toPrefixTsquery } from "../../lib/snippets/list-snippets";
import { CreateSnippetSchema, ListSnippetsQuerySchema, UpdateSnippetSchema } from "../../lib/snippets/snippet-schemas";
import { guessPreset, previewBody } from "../../components/snippets/snippet-preview-panel";

describe("snippet schemas", () => {
  test("tags are trimmed, lowercased and de-duplicated; the title is trimmed", () => {
    const r = CreateSnippetSchema.parse({ title: "  Cube ", language: "javascript", code: "", tags: [" Three ", "three", "demo"] });
    expect(r).toEqual({ title: "Cube", language: "javascript", code: "", tags: ["three", "demo"] });
  });

  test("every invalid field is reported with its path", () => {
    const r = CreateSnippetSchema.safeParse({ title: " ", language: "ruby", code: null, tags: ["ok", "no spaces"], x: 1 });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join(".")).sort()).toEqual(["", "code", "language", "tags.1", "title"]);
  });

  test("an update must change something; version is an integer ≥ 1", () => {
    expect(UpdateSnippetSchema.safeParse({}).success).toBe(false);
    expect(UpdateSnippetSchema.safeParse({ version: 2 }).success).toBe(false);
    expect(UpdateSnippetSchema.safeParse({ title: "x", version: 0 }).success).toBe(false);
    expect(UpdateSnippetSchema.parse({ tags: [], version: 3 })).toEqual({ tags: [], version: 3 });
  });

  test("list query: defaults, coercion and limits", () => {
    expect(ListSnippetsQuerySchema.parse({})).toEqual({ limit: 50, all: false });
    expect(ListSnippetsQuerySchema.parse({ limit: "10", all: "true", tag: "Demo" })).toEqual({ limit: 10, all: true, tag: "demo" });
    expect(ListSnippetsQuerySchema.safeParse({ limit: "201" }).success).toBe(false);
  });
});

describe("search query", () => {
  test("prefix tsquery from words only, so tsquery syntax in the box cannot break the query", () => {
    expect(toPrefixTsquery("Orbit controls")).toBe("orbit:* & controls:*");
    expect(toPrefixTsquery("a & b | !c:* (d)")).toBe("a:* & b:* & c:* & d:*");
    expect(toPrefixTsquery("élan 3d")).toBe("élan:* & 3d:*");
    expect(toPrefixTsquery("&&& ::")).toBeNull();
    expect(toPrefixTsquery("one two three four five six seven eight nine ten")!.split(" & ")).toHaveLength(8);
  });
});

describe("preview from the editor", () => {
  test("the preset follows what the code uses", () => {
    expect(guessPreset("const s = new THREE.Scene()")).toBe("three-webgl-umd");
    expect(guessPreset("new Chart(ctx, {})")).toBe("chartjs-umd");
    expect(guessPreset("d3.select('body')")).toBe("d3-umd");
    expect(guessPreset("document.body.textContent = 'hi'")).toBe("html-basic");
  });

  test("JavaScript is sent as code, HTML as a document, CSS inside a <style> of a sample page", () => {
    expect(previewBody("javascript", "x()")).toEqual({ code: "x()" });
    expect(previewBody("html", "<p>hi</p>")).toEqual({ html: "<p>hi</p>" });
    const css = previewBody("css", "body{color:red}");
    expect("html" in css && css.html).toContain("<style>\nbody{color:red}\n</style>");
  });
});
