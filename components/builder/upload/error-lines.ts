// Where a validation error's path is in uploaded YAML/JSON text (1-based line), so the upload
// report can say "line 12" next to `actions[0].inputs[1].type`. The registry reports paths of
// the normalised manifest: the seed's `capability:` wrapper, `id` for slug and a top-level
// base_url/auth for api.* are followed back to what the author wrote. A missing field gets
// its nearest existing ancestor. Pure (the yaml parser only), so it runs in the browser.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

type Segment = string | number;

export function pathSegments(path: string): Segment[] | null {
  if (!path || path.startsWith("(")) return null;
  const out: Segment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

const ALIASES: Record<string, string[]> = { slug: ["id"], source: ["code"] };

/** A locator for one text: call it with each error's path. */
export function errorLineLocator(text: string): (path: string) => number | undefined {
  const counter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  } catch {
    return () => undefined;
  }
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : counter.linePos(offset).line);
  let root: unknown = doc.contents;
  if (isMap(root) && !root.has("slug") && isMap(root.get("capability", true))) root = root.get("capability", true);

  return (path: string) => {
    // "(line 3, column 5)": the parser already placed it.
    const written = /^\(line (\d+)/.exec(path);
    if (written) return Number(written[1]);
    let segments = pathSegments(path);
    if (!segments) return undefined;
    let node: unknown = root;
    if (segments[0] === "api" && isMap(node) && !node.has("api")) segments = segments.slice(1);
    let found = lineOf((node as Node | null)?.range?.[0]);
    for (const seg of segments) {
      if (isMap(node)) {
        const names = typeof seg === "string" ? [seg, ...(ALIASES[seg] ?? [])] : [];
        const pair = typeof seg === "number" ? node.items[seg] : node.items.find((p) => names.includes(isScalar(p.key) ? String(p.key.value) : String(p.key)));
        if (!pair) return found;
        found = lineOf((pair.key as Node | null)?.range?.[0]) ?? lineOf((pair.value as Node | null)?.range?.[0]) ?? found;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number") {
        const item = node.items[seg] as Node | undefined;
        if (!item) return found;
        found = lineOf(item.range?.[0]) ?? found;
        node = item;
      } else return found;
    }
    return found;
  };
}
