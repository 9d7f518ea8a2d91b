// A stored JSON value (input, output) pretty-printed and coloured as text, or, when the
// engine capped it (over 256 KB), a notice with its size and the beginning it kept.
import { JsonView } from "@/app/(app)/timeline/json-view";
import { formatBytes, isTruncatedJson } from "./execution-format";

export function JsonBlock({ value, empty = "(nothing)", testId, className }: { value: unknown; empty?: string; testId?: string; className?: string }) {
  if (isTruncatedJson(value)) {
    return (
      <div data-testid={testId} data-truncated="true" className={className}>
        <p className="mb-2 rounded-md border border-warning/25 bg-warning-soft px-2.5 py-1.5 text-[12.5px] text-fg-muted" data-testid="json-truncated">
          Too large to keep whole ({formatBytes(value.bytes)}): only the beginning was stored.
        </p>
        <pre className="max-h-96 overflow-auto rounded-lg border border-border bg-surface-2/70 px-3.5 py-3 font-mono text-[12px] leading-relaxed break-all whitespace-pre-wrap text-fg-muted">
          {value.preview}
          <span className="text-fg-subtle">…</span>
        </pre>
      </div>
    );
  }
  if (value === null || value === undefined) {
    return (
      <p data-testid={testId} className="rounded-lg border border-dashed border-border px-3.5 py-3 text-[12.5px] text-fg-subtle">
        {empty}
      </p>
    );
  }
  return (
    <div data-testid={testId} className={className}>
      <JsonView value={value} className="max-h-[28rem] overflow-auto" />
    </div>
  );
}
