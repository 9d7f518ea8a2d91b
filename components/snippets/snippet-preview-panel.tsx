"use client";
// The Preview tab: pick a runtime preset (GET /api/presets; a fixed list if that fails),
// then "Preview" POSTs /api/previews with the editor's current text — JavaScript as code,
// HTML as a document, CSS wrapped in a <style> — and shows the result in the sandboxed
// PreviewFrame (iframe sandbox="allow-scripts", never allow-same-origin) with the injected
// dependencies and the share link. Ctrl/Cmd+Enter previews too.
import { useEffect, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { PlayIcon } from "@/components/icons";
import { PreviewFrame } from "@/components/previews/preview-frame";
import { PreviewShare } from "@/components/previews/preview-share";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { Label } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { CreatedPreview } from "@/lib/previews/create-preview";
import type { SnippetLanguage } from "@/lib/snippets/snippet-schemas";

interface PresetOption {
  id: string;
  label: string;
  description: string;
}

/** Used while /api/presets answers nothing (the ids are the contract's). */
const FALLBACK_PRESETS: PresetOption[] = [
  { id: "html-basic", label: "HTML (no libraries)", description: "Plain HTML, CSS and JavaScript." },
  { id: "three-webgl-umd", label: "three.js", description: "three.js, with addons such as OrbitControls added when the code uses them." },
  { id: "chartjs-umd", label: "Chart.js", description: "Chart.js charts." },
  { id: "d3-umd", label: "d3", description: "d3 for SVG and data visualisation." },
];

/** The preset a snippet most likely wants, from what its code mentions. */
export function guessPreset(code: string): string {
  if (/\bTHREE\./.test(code)) return "three-webgl-umd";
  if (/\bnew\s+Chart\s*\(/.test(code)) return "chartjs-umd";
  if (/\bd3\./.test(code)) return "d3-umd";
  return "html-basic";
}

export function previewBody(language: SnippetLanguage, code: string): { code: string } | { html: string } {
  if (language === "javascript") return { code };
  if (language === "css") return { html: `<!doctype html><style>\n${code}\n</style><h1>Heading</h1><p>A paragraph with <a href="#">a link</a>.</p><button>Button</button>` };
  return { html: code };
}

export function SnippetPreviewPanel({ snippetId, title, language, code }: { snippetId: string | null; title: string; language: SnippetLanguage; code: string }) {
  const [presets, setPresets] = useState<PresetOption[] | null>(null);
  const [presetsError, setPresetsError] = useState(false);
  const [preset, setPreset] = useState(() => guessPreset(code));
  const [preview, setPreview] = useState<CreatedPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    apiFetch<{ items: PresetOption[] }>("/api/presets")
      .then((r) => alive && setPresets(r.items.length ? r.items : FALLBACK_PRESETS))
      .catch(() => {
        if (!alive) return;
        setPresets(FALLBACK_PRESETS);
        setPresetsError(true);
      });
    return () => {
      alive = false;
    };
  }, []);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const created = await apiFetch<CreatedPreview>("/api/previews", {
        method: "POST",
        json: { ...previewBody(language, code), preset, ...(snippetId ? { snippetId } : {}), ...(title.trim() ? { title: title.trim().slice(0, 200) } : {}) },
      });
      setPreview(created);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
        e.preventDefault();
        void run();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const options = presets ?? FALLBACK_PRESETS;
  const current = options.find((p) => p.id === preset);

  return (
    <div className="space-y-4" data-testid="snippet-preview-panel">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-56">
          <Label htmlFor="snippet-preset">Runtime preset</Label>
          <Select id="snippet-preset" value={preset} onChange={(e) => setPreset(e.target.value)} disabled={presets === null} data-testid="snippet-preset">
            {options.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </Select>
        </div>
        <Button variant="primary" icon={<PlayIcon className="size-4" />} onClick={() => void run()} loading={busy} data-testid="preview-snippet">
          Preview <Kbd className="ml-1">Ctrl ⏎</Kbd>
        </Button>
        {current && <p className="min-w-0 flex-1 text-[12.5px] text-fg-muted">{current.description}</p>}
      </div>
      {presetsError && <p className="text-[12px] text-fg-subtle">The preset list could not be loaded; showing the standard presets.</p>}
      {!snippetId && <p className="text-[12px] text-fg-subtle">This preview is not linked to a snippet until you save it.</p>}
      {error && <Alert tone="danger" data-testid="preview-error">{error}</Alert>}
      {preview ? (
        <div className="space-y-3">
          <PreviewFrame key={preview.previewId} frameUrl={preview.frameUrl} injectedDeps={preview.injectedDeps} title={title || "Preview"} />
          <PreviewShare previewId={preview.previewId} shareUrl={preview.shareUrl} expiresAt={preview.expiresAt} revokedAt={null} />
        </div>
      ) : (
        !busy && <div className="rounded-lg border border-dashed border-border p-8 text-center text-[13px] text-fg-muted">Press Preview to run the current code in a sandboxed frame.</div>
      )}
    </div>
  );
}
