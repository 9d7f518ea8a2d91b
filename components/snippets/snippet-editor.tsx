"use client";
// Edits one snippet (or a new one): title, language, tags and the code in Monaco. Ctrl/Cmd+S
// saves (inside the editor and anywhere on the page); the header says whether the changes
// are saved, and leaving with unsaved changes asks first. Saving sends the version the
// editor started from, so another tab's save is a conflict, not a silent overwrite. Tabs:
// Code, Preview (preset picker, sandboxed frame, share link) and Audit (the event trail).
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { CodeEditor } from "@/components/editor/code-editor";
import { MakeTaskButton } from "@/components/snippets/make-task-button";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Dialog } from "@/components/ui/dialog";
import { FieldMessage, Label } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Kbd } from "@/components/ui/kbd";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import type { SnippetRecord } from "@/lib/snippets/snippet-record";
import type { SnippetLanguage } from "@/lib/snippets/snippet-schemas";
import { SnippetAudit } from "./snippet-audit";
import { SnippetPreviewPanel } from "./snippet-preview-panel";

interface Draft {
  title: string;
  language: SnippetLanguage;
  tags: string;
  code: string;
}

const STARTER: Record<SnippetLanguage, string> = {
  javascript: "// Runs in a sandboxed frame. Pick a preset (three.js, Chart.js, d3) in Preview.\ndocument.body.textContent = 'Hello from a snippet';\n",
  html: "<!doctype html>\n<h1>Hello</h1>\n<p>Edit me, then Preview.</p>\n",
  css: "body {\n  font-family: system-ui, sans-serif;\n  background: #f6f7f9;\n}\n",
};

const toDraft = (s: SnippetRecord | null): Draft =>
  s ? { title: s.title, language: s.language, tags: s.tags.join(", "), code: s.code } : { title: "", language: "javascript", tags: "", code: STARTER.javascript };

const parseTags = (text: string) =>
  text
    .split(/[,\s]+/)
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);

const sameDraft = (a: Draft, b: Draft) => a.title.trim() === b.title.trim() && a.language === b.language && a.code === b.code && parseTags(a.tags).join() === parseTags(b.tags).join();

type Tab = "code" | "preview" | "audit";

export function SnippetEditor({ snippet }: { snippet: SnippetRecord | null }) {
  const router = useRouter();
  const params = useSearchParams();
  const toast = useToast();
  const [saved, setSaved] = useState<SnippetRecord | null>(snippet);
  const [draft, setDraft] = useState<Draft>(() => toDraft(snippet));
  const [baseline, setBaseline] = useState<Draft>(() => toDraft(snippet));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [tab, setTab] = useState<Tab>("code");
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const dirty = !sameDraft(draft, baseline);
  const isNew = saved === null;

  const save = useCallback(async () => {
    if (saving) return;
    if (!isNew && !dirty) return;
    setSaving(true);
    setError(null);
    const body = { title: draft.title, language: draft.language, code: draft.code, tags: parseTags(draft.tags) };
    try {
      const record = isNew
        ? await apiFetch<SnippetRecord>("/api/snippets", { method: "POST", json: body })
        : await apiFetch<SnippetRecord>(`/api/snippets/${saved.id}`, { method: "PATCH", json: { ...body, version: saved.version } });
      setSaved(record);
      const next = toDraft(record);
      setBaseline(next);
      setDraft((d) => (sameDraft(d, { ...draft }) ? next : d));
      if (isNew) {
        const qs = new URLSearchParams(params.toString());
        qs.delete("new");
        qs.set("id", record.id);
        router.replace(`/snippets?${qs}`, { scroll: false });
      } else router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err : errorMessage(err));
    } finally {
      setSaving(false);
    }
  }, [saving, isNew, dirty, draft, saved, params, router]);

  // Ctrl/Cmd+S anywhere on the page (Monaco binds its own while it has focus).
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  }, [save]);
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "s") {
        e.preventDefault();
        void saveRef.current();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // Unsaved changes: the browser asks before the tab is closed or reloaded.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);

  async function remove() {
    if (!saved) return;
    setDeleting(true);
    try {
      await apiFetch(`/api/snippets/${saved.id}`, { method: "DELETE" });
      toast.success("Snippet deleted", saved.title);
      setConfirmDelete(false);
      const qs = new URLSearchParams(params.toString());
      qs.delete("id");
      router.replace(`/snippets${qs.size ? `?${qs}` : ""}`);
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
      setConfirmDelete(false);
    } finally {
      setDeleting(false);
    }
  }

  const fieldError = (path: string) => (error instanceof ApiError ? error.fieldError(path) : undefined);
  const status = saving ? "Saving…" : isNew ? "Not saved yet" : dirty ? "Unsaved changes" : "Saved";

  return (
    <div className="rounded-xl border border-border bg-surface shadow-card" data-testid="snippet-editor">
      <div className="flex flex-wrap items-center gap-3 border-b border-border px-4 py-3">
        <h2 className="min-w-0 flex-1 truncate text-[15px] font-semibold">{isNew ? "New snippet" : saved.title}</h2>
        {!isNew && <Badge mono>v{saved.version}</Badge>}
        <span
          role="status"
          aria-live="polite"
          data-testid="save-state"
          data-state={saving ? "saving" : dirty || isNew ? "unsaved" : "saved"}
          className={cx("text-[12.5px]", dirty || isNew ? "text-warning" : "text-fg-subtle")}
        >
          {status}
        </span>
        <Button variant="primary" size="sm" onClick={() => void save()} loading={saving} disabled={!isNew && !dirty} data-testid="save-snippet" title="Save (Ctrl+S)">
          Save <Kbd className="ml-1">Ctrl S</Kbd>
        </Button>
        {!isNew && (
          <Button variant="danger-ghost" size="sm" onClick={() => setConfirmDelete(true)} data-testid="delete-snippet">
            Delete
          </Button>
        )}
      </div>

      <div className="grid gap-3 px-4 pt-4 sm:grid-cols-[minmax(0,2fr)_140px_minmax(0,1.4fr)]">
        <div>
          <Label htmlFor="snippet-title">Title</Label>
          <Input
            id="snippet-title"
            value={draft.title}
            onChange={(e) => setDraft({ ...draft, title: e.target.value })}
            placeholder="Bar chart of sales"
            invalid={Boolean(fieldError("title"))}
            aria-describedby="snippet-title-msg"
            maxLength={200}
            data-testid="snippet-title"
          />
          <FieldMessage id="snippet-title-msg" error={fieldError("title")} />
        </div>
        <div>
          <Label htmlFor="snippet-language">Language</Label>
          <Select
            id="snippet-language"
            value={draft.language}
            onChange={(e) => {
              const language = e.target.value as SnippetLanguage;
              // A pristine starter follows the language; real code is kept.
              const code = draft.code === STARTER[draft.language] ? STARTER[language] : draft.code;
              setDraft({ ...draft, language, code });
            }}
            data-testid="snippet-language"
          >
            <option value="javascript">JavaScript</option>
            <option value="html">HTML</option>
            <option value="css">CSS</option>
          </Select>
        </div>
        <div>
          <Label htmlFor="snippet-tags">Tags</Label>
          <Input
            id="snippet-tags"
            value={draft.tags}
            onChange={(e) => setDraft({ ...draft, tags: e.target.value })}
            placeholder="chart, demo"
            invalid={Boolean(fieldError("tags"))}
            aria-describedby="snippet-tags-msg"
            data-testid="snippet-tags"
          />
          <FieldMessage id="snippet-tags-msg" error={fieldError("tags")} hint="Comma separated" />
        </div>
      </div>

      {error && (
        <Alert tone="danger" className="mx-4 mt-3" data-testid="snippet-error">
          {error instanceof ApiError ? (error.status === 409 ? `${error.message} (your text is still here: copy it before reloading)` : error.message) : error}
          {fieldError("code") && <> — code: {fieldError("code")}</>}
        </Alert>
      )}

      <div role="tablist" aria-label="Snippet" className="mt-4 flex gap-5 border-b border-border px-4">
        {(
          [
            ["code", "Code"],
            ["preview", "Preview"],
            ["audit", "Audit"],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            role="tab"
            type="button"
            id={`snippet-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`snippet-panel-${id}`}
            disabled={id === "audit" && isNew}
            onClick={() => setTab(id)}
            onKeyDown={(e) => {
              const order: Tab[] = ["code", "preview", "audit"];
              const i = order.indexOf(tab);
              if (e.key === "ArrowRight") setTab(order[Math.min(order.length - (isNew ? 2 : 1), i + 1)]!);
              if (e.key === "ArrowLeft") setTab(order[Math.max(0, i - 1)]!);
            }}
            className={cx(
              "-mb-px inline-flex h-10 items-center border-b-2 text-[13.5px] font-medium disabled:opacity-40",
              tab === id ? "border-accent text-fg" : "border-transparent text-fg-muted hover:text-fg",
            )}
            data-testid={`snippet-tab-${id}`}
          >
            {label}
          </button>
        ))}
      </div>

      <div className="p-4">
        {/* The editor stays mounted (hidden) on the other tabs, so switching keeps undo history. */}
        <div role="tabpanel" id="snippet-panel-code" aria-labelledby="snippet-tab-code" hidden={tab !== "code"}>
          <CodeEditor value={draft.code} language={draft.language} onChange={(code) => setDraft((d) => ({ ...d, code }))} onSave={() => void saveRef.current()} ariaLabel="Snippet code" />
        </div>
        {tab === "preview" && (
          <div role="tabpanel" id="snippet-panel-preview" aria-labelledby="snippet-tab-preview">
            <SnippetPreviewPanel snippetId={saved?.id ?? null} title={draft.title} language={draft.language} code={draft.code} />
          </div>
        )}
        {tab === "audit" && saved && (
          <div role="tabpanel" id="snippet-panel-audit" aria-labelledby="snippet-tab-audit">
            <SnippetAudit snippetId={saved.id} version={saved.version} />
          </div>
        )}
      </div>

      {saved && (
        <div className="flex flex-wrap items-center gap-3 border-t border-border px-4 py-3">
          <span className="text-[12.5px] text-fg-muted">Turn this snippet (v{saved.version}) into a task — it needs an approval.</span>
          <MakeTaskButton snippetId={saved.id} title={saved.title} disabled={dirty} />
        </div>
      )}

      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title="Delete this snippet?"
        description="It disappears from your list. Its audit trail, previews and tasks are kept."
        size="sm"
        data-testid="delete-snippet-dialog"
        footer={
          <>
            <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
            <Button variant="danger" onClick={() => void remove()} loading={deleting} data-testid="confirm-delete-snippet">
              Delete
            </Button>
          </>
        }
      />
    </div>
  );
}
