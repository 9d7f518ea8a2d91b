// A small JavaScript tokenizer for static checks of plugin source: identifiers,
// punctuators, string/template/regex literals (with their text) and numbers, with line
// numbers. Comments are dropped; code inside template `${…}` is tokenized as code. It is
// not a parser and never executes anything; it only has to be right about what is a
// string or a comment, so the security report does not mistake text for code. Pure.

export type TokenKind = "ident" | "punct" | "string" | "template" | "regex" | "number";

export interface Token {
  kind: TokenKind;
  value: string;
  line: number;
}

const PUNCTUATORS = [
  ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
  "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>",
];

// After these keywords a `/` starts a regular expression, not a division.
const REGEX_AFTER_KEYWORD = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

const isIdentStart = (c: string) => /[A-Za-z_$\u0080-\uffff#]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);

export function tokenizeJs(src: string): Token[] {
  const out: Token[] = [];
  // What each open `{` belongs to: a block/object, or a template's `${`.
  const braces: ("brace" | "template")[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;

  const push = (kind: TokenKind, value: string, at: number) => out.push({ kind, value, line: at });
  const regexAllowed = () => {
    const prev = out[out.length - 1];
    if (!prev) return true;
    if (prev.kind === "ident") return REGEX_AFTER_KEYWORD.has(prev.value);
    if (prev.kind === "punct") return ![")", "]", "}", "++", "--"].includes(prev.value);
    return false;
  };

  /** Scans template text from i (just after ` or the } closing a ${) to ` or ${. */
  const templateText = () => {
    const start = line;
    let text = "";
    while (i < n) {
      const c = src[i]!;
      if (c === "\\") {
        text += src.slice(i, i + 2);
        if (src[i + 1] === "\n") line++;
        i += 2;
        continue;
      }
      if (c === "`") {
        i++;
        push("template", text, start);
        return;
      }
      if (c === "$" && src[i + 1] === "{") {
        i += 2;
        push("template", text, start);
        braces.push("template");
        return;
      }
      if (c === "\n") line++;
      text += c;
      i++;
    }
    push("template", text, start);
  };

  while (i < n) {
    const c = src[i]!;
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v" || c === "\u00a0" || c === "\ufeff") {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end === -1 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === "\n") line++;
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      const start = line;
      let text = "";
      i++;
      while (i < n && src[i] !== c && src[i] !== "\n") {
        if (src[i] === "\\") {
          text += src[i + 1] ?? "";
          if (src[i + 1] === "\n") line++;
          i += 2;
          continue;
        }
        text += src[i];
        i++;
      }
      i++;
      push("string", text, start);
      continue;
    }
    if (c === "`") {
      i++;
      templateText();
      continue;
    }
    if (c === "}" && braces[braces.length - 1] === "template") {
      braces.pop();
      i++;
      templateText();
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const start = i;
      while (i < n && /[0-9A-Za-z_.]/.test(src[i]!)) i++;
      push("number", src.slice(start, i), line);
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      i++;
      while (i < n && isIdentPart(src[i]!)) i++;
      push("ident", src.slice(start, i), line);
      continue;
    }
    if (c === "/" && regexAllowed()) {
      const start = line;
      let inClass = false;
      let body = "";
      i++;
      while (i < n && src[i] !== "\n") {
        const d = src[i]!;
        if (d === "\\") {
          body += src.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (d === "[") inClass = true;
        else if (d === "]") inClass = false;
        else if (d === "/" && !inClass) break;
        body += d;
        i++;
      }
      i++;
      while (i < n && /[a-z]/i.test(src[i]!)) i++;
      push("regex", body, start);
      continue;
    }
    const p = PUNCTUATORS.find((op) => src.startsWith(op, i)) ?? c;
    if (p === "{") braces.push("brace");
    else if (p === "}") braces.pop();
    push("punct", p, line);
    i += p.length;
  }
  return out;
}
