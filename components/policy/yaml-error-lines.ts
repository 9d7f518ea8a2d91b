// Finds the line of the YAML text an error path points at (`rules[1].match.risk[0]` →
// line 9), so the editor can show "line 9" next to each error and jump there. Errors of
// the YAML syntax already carry "(line N, column M)". When the path leads to a field that
// is missing, the line of the nearest enclosing node is given. Pure.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";

export interface FieldErrorLike {
  path: string;
  message: string;
}

export interface LocatedError extends FieldErrorLike {
  /** 1-based, or null when the text gives no place (e.g. an empty document). */
  line: number | null;
}

/** `rules[1].match.risk[0]` → ["rules", 1, "match", "risk", 0]. */
export function splitErrorPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|([^.[\]]+)/g;
  for (let m = re.exec(path); m; m = re.exec(path)) out.push(m[1] !== undefined ? Number(m[1]) : m[2]!);
  return out;
}

function child(node: unknown, key: string | number): YamlNode | null {
  if (isSeq(node) && typeof key === "number") {
    const item = node.items[key];
    return item && typeof item === "object" ? (item as YamlNode) : null;
  }
  if (isMap(node) && typeof key === "string") {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(k) === key) return (pair.value as YamlNode | null) ?? (pair.key as YamlNode | null);
    }
  }
  return null;
}

export function locateErrors(text: string, errors: readonly FieldErrorLike[]): LocatedError[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const lineOf = (node: YamlNode | null | undefined): number | null => (node?.range ? lineCounter.linePos(node.range[0]).line : null);
  return errors.map((e) => {
    const syntax = /^\(line (\d+), column \d+\)$/.exec(e.path);
    if (syntax) return { ...e, line: Number(syntax[1]) };
    const keys = splitErrorPath(e.path);
    // A bare list has no `rules:` key: its paths still start with `rules`.
    if (isSeq(doc.contents) && keys[0] === "rules") keys.shift();
    let node = doc.contents as YamlNode | null;
    for (const key of keys) {
      const next = child(node, key);
      if (!next) break;
      node = next;
    }
    return { ...e, line: lineOf(node) };
  });
}

/** The offset where a 1-based line starts, for moving the caret there. */
export function lineStartOffset(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return offset;
}
