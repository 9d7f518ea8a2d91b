"use client";
// The in-app preview viewer: the rendering in <iframe sandbox="allow-scripts"> (never
// allow-same-origin, so the frame is an opaque origin that cannot reach this page, its
// cookies or its storage), the console output and errors the frame relays by postMessage
// (accepted only from this iframe's window and only in the known shapes), CSP violations,
// and the injected dependencies with their integrity hashes.
import { useLayoutEffect, useRef, useState, useSyncExternalStore } from "react";
import { acceptFrameMessage, type FrameMessage } from "@/lib/previews/frame-messages";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";

export interface PreviewFrameDep {
  id: string;
  version: string;
  integrity: string;
  url?: string;
  autoInjected: boolean;
}

type LogLine = { n: number; kind: "console" | "error" | "csp"; level: string; text: string };

const MAX_LINES = 300;
const noSubscription = () => () => {};

export interface PreviewFrameProps {
  frameUrl: string;
  injectedDeps: PreviewFrameDep[];
  title?: string;
  height?: number;
  className?: string;
}

/** A new frame URL is a new document: remount, so its console starts empty. */
export function PreviewFrame(props: PreviewFrameProps) {
  return <PreviewFrameView key={props.frameUrl} {...props} />;
}

function PreviewFrameView({ frameUrl, injectedDeps, title = "Preview", height = 420, className }: PreviewFrameProps) {
  const iframe = useRef<HTMLIFrameElement>(null);
  const [lines, setLines] = useState<LogLine[]>([]);
  const [ready, setReady] = useState(false);
  const counter = useRef(0);
  // The iframe is created only in the browser, after the message listener is attached (a
  // layout effect runs in the same task as the commit that sets the src), so no message of
  // the frame's can arrive before we listen; a server-rendered iframe would start loading
  // before hydration and its first messages would be lost.
  const inBrowser = useSyncExternalStore(noSubscription, () => true, () => false);

  useLayoutEffect(() => {
    function onMessage(event: MessageEvent) {
      const msg: FrameMessage | null = acceptFrameMessage(event, iframe.current?.contentWindow);
      if (!msg) return;
      if (msg.type === "ready") {
        setReady(true);
        return;
      }
      const n = ++counter.current;
      const line: LogLine =
        msg.type === "console"
          ? { n, kind: "console", level: msg.level, text: msg.args.join(" ") }
          : msg.type === "error"
            ? { n, kind: "error", level: "error", text: msg.line ? `${msg.message} (line ${msg.line}:${msg.column})` : msg.message }
            : { n, kind: "csp", level: "warn", text: `blocked by CSP (${msg.directive}): ${msg.blockedUri || "inline"}` };
      setLines((prev) => (prev.length >= MAX_LINES ? [...prev.slice(1), line] : [...prev, line]));
    }
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, []);

  const errors = lines.filter((l) => l.kind !== "console").length;

  return (
    <div className={cx("flex flex-col gap-3", className)} data-testid="preview-frame">
      <div className="overflow-hidden rounded-lg border border-border bg-white">
        {inBrowser ? (
          <iframe
            ref={iframe}
            title={title}
            src={frameUrl}
            sandbox="allow-scripts"
            referrerPolicy="no-referrer"
            className="block w-full"
            style={{ height }}
            data-ready={ready ? "1" : "0"}
          />
        ) : (
          <div className="block w-full" style={{ height }} aria-hidden="true" />
        )}
      </div>
      <div className="grid gap-3 lg:grid-cols-[1fr_340px]">
        <section aria-label="Console" className="rounded-lg border border-border bg-surface">
          <header className="flex items-center justify-between border-b border-border px-3 py-2 text-[13px] font-medium">
            <span>Console</span>
            <span className="flex gap-2">
              {errors > 0 && <Badge tone="danger">{errors} error{errors === 1 ? "" : "s"}</Badge>}
              <Badge tone={ready ? "success" : "neutral"} dot>
                {ready ? "loaded" : "loading"}
              </Badge>
            </span>
          </header>
          <ol className="max-h-56 overflow-auto px-3 py-2 font-mono text-[12px]" data-testid="preview-console">
            {lines.length === 0 && <li className="text-fg-subtle">No output yet.</li>}
            {lines.map((l) => (
              <li
                key={l.n}
                data-kind={l.kind}
                data-level={l.level}
                className={cx("whitespace-pre-wrap break-all py-0.5", l.kind === "error" && "text-danger", l.kind === "csp" && "text-security", l.level === "warn" && l.kind === "console" && "text-warning")}
              >
                {l.text}
              </li>
            ))}
          </ol>
        </section>
        <section aria-label="Injected dependencies" className="rounded-lg border border-border bg-surface">
          <header className="border-b border-border px-3 py-2 text-[13px] font-medium">Injected dependencies</header>
          <ul className="px-3 py-2 text-[12px]" data-testid="preview-deps">
            {injectedDeps.length === 0 && <li className="text-fg-subtle">None (plain HTML).</li>}
            {injectedDeps.map((d) => (
              <li key={d.id} className="py-1">
                <div className="flex items-center gap-2">
                  <span className="font-medium">{d.id}</span>
                  <span className="text-fg-muted">{d.version}</span>
                  {d.autoInjected && <Badge tone="info">auto</Badge>}
                </div>
                <code className="block break-all text-[11px] text-fg-subtle" title="Subresource integrity of the served bytes">
                  {d.integrity}
                </code>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
