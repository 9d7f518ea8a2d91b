// A plugin's log as it was captured: numbered monospace lines, the sandbox's truncation
// line marked so a cut-off log is obvious, and a notice when the stored log was capped.
import { cx } from "@/components/ui/cx";
import { formatBytes, isLogTruncationLine, logLines } from "./execution-format";

export function LogView({ logs, testId = "execution-logs" }: { logs: unknown; testId?: string }) {
  const { lines, capped } = logLines(logs);
  if (capped) {
    return (
      <div data-testid={testId} data-truncated="true">
        <p className="mb-2 rounded-md border border-warning/25 bg-warning-soft px-2.5 py-1.5 text-[12.5px] text-fg-muted" data-testid="log-truncated">
          Log truncated: {formatBytes(capped.bytes)} were written, only the beginning was stored.
        </p>
        <pre className="max-h-96 overflow-auto rounded-lg bg-surface-2 px-3 py-2 font-mono text-[12px] leading-relaxed whitespace-pre-wrap text-fg">{capped.preview}</pre>
      </div>
    );
  }
  if (lines.length === 0) return <p data-testid={testId} className="text-[12.5px] text-fg-subtle">No log lines.</p>;
  const truncated = lines.some(isLogTruncationLine);
  return (
    <div data-testid={testId} data-truncated={truncated || undefined}>
      <ol className="max-h-96 overflow-auto rounded-lg bg-surface-2 py-2 font-mono text-[12px] leading-relaxed text-fg">
        {lines.map((line, i) => {
          const marker = isLogTruncationLine(line);
          return (
            <li key={i} className={cx("flex gap-3 px-3", marker && "my-1 bg-warning-soft py-1 text-warning")} data-testid={marker ? "log-truncated" : undefined}>
              <span aria-hidden className="w-8 shrink-0 text-right text-fg-subtle tabular-nums select-none">
                {marker ? "⚠" : i + 1}
              </span>
              <span className="min-w-0 break-words whitespace-pre-wrap">{line}</span>
            </li>
          );
        })}
      </ol>
      {truncated && <p className="mt-1.5 text-[12px] text-warning">The plugin wrote more than the log limit; later lines were dropped.</p>}
    </div>
  );
}
