// Pretty-printed JSON with light syntax colouring, built as React text nodes (never HTML),
// so whatever an event's payload contains is only ever displayed as text.
import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

function highlight(json: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let key = 0;
  for (const m of json.matchAll(TOKEN)) {
    const i = m.index ?? 0;
    if (i > last) out.push(json.slice(last, i));
    if (m[1] !== undefined) {
      out.push(
        <span key={key++} className={m[2] ? "text-code-key" : "text-code-string"}>
          {m[1]}
        </span>,
      );
      if (m[2]) out.push(m[2]);
    } else if (m[3] !== undefined) {
      out.push(<span key={key++} className="text-code-literal">{m[3]}</span>);
    } else if (m[4] !== undefined) {
      out.push(<span key={key++} className="text-code-number">{m[4]}</span>);
    }
    last = i + m[0].length;
  }
  if (last < json.length) out.push(json.slice(last));
  return out;
}

export function JsonView({ value, className }: { value: unknown; className?: string }) {
  const json = JSON.stringify(value, null, 2) ?? "undefined";
  return (
    <pre className={cx("overflow-x-auto rounded-lg border border-border bg-surface-2/70 px-3.5 py-3 font-mono text-[12px] leading-relaxed text-fg-muted", className)}>
      <code>{highlight(json)}</code>
    </pre>
  );
}
