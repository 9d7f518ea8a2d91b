"use client";
// The policy rules editor: the rules in force as an ordered list (admins move, delete and
// add rules; each change saves a new version), the same rules as YAML to edit, validate
// (every error with its path and line) and save with a comment, and the version history
// (view, restore). Every save names the version it edited, so a save that crossed someone
// else's answers 409 and the page offers to reload instead of overwriting their change.
// It follows policy.rule_changed live: another admin's save refreshes an untouched page.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useId, useRef, useState, type KeyboardEvent } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { useLiveEvents } from "@/components/executions/use-live-events";
import { AlertIcon, ArrowUpIcon, ChevronRightIcon, PlusIcon, ShieldIcon, XIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { AddRuleDialog, type CatalogPermission, type SaveRulesResult } from "@/components/policy/add-rule-dialog";
import { DefaultsTable } from "@/components/policy/defaults-table";
import { RuleCard } from "@/components/policy/rule-card";
import { HISTORY_PAGE_SIZE } from "@/components/policy/rule-format";
import { authorName, RuleHistory, type HistoryPage } from "@/components/policy/rule-history";
import { locateErrors, type LocatedError } from "@/components/policy/yaml-error-lines";
import { YamlEditor, type YamlEditorHandle } from "@/components/policy/yaml-editor";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { TextField } from "@/components/ui/field";
import { Kbd } from "@/components/ui/kbd";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { useToast } from "@/components/ui/toast";
import type { RuleSet } from "@/lib/policy/rule-store";
import { parseRulesYaml, type OrgRule } from "@/lib/policy/rules";

type Validation = null | { ok: true; count: number } | { ok: false; errors: LocatedError[]; from: "check" | "server" };

interface Conflict {
  latest: RuleSet;
}

const UNSAVED_EDITS = "You have unsaved YAML edits: save or discard them first.";
const CONFLICT_MESSAGE = "Someone else saved a newer version while you were editing. Reload to see it, then make your change again.";

export function RulesView({ initial, initialHistory, isAdmin, permissions }: { initial: RuleSet | null; initialHistory: HistoryPage | null; isAdmin: boolean; permissions: CatalogPermission[] }) {
  const router = useRouter();
  if (!initial) {
    return (
      <PageContainer>
        <Header isAdmin={false} />
        <EmptyState
          className="py-20"
          icon={<AlertIcon />}
          title="The rules could not be loaded"
          description="The server could not read the organisation's rules. Try again, and if it keeps happening, tell an administrator."
          actions={
            <Button variant="primary" onClick={() => router.refresh()}>
              Try again
            </Button>
          }
        />
      </PageContainer>
    );
  }
  return <RulesEditor initial={initial} initialHistory={initialHistory ?? { items: [], nextCursor: null }} isAdmin={isAdmin} permissions={permissions} />;
}

function Header({ isAdmin, onAdd, addDisabledReason }: { isAdmin: boolean; onAdd?: () => void; addDisabledReason?: string | null }) {
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex items-center gap-1 text-[12.5px] text-fg-subtle">
        <Link href="/approvals" className="hover:text-fg hover:underline">
          Approvals
        </Link>
        <ChevronRightIcon className="size-3.5" />
        <span aria-current="page" className="text-fg-muted">
          Policy rules
        </span>
      </nav>
      <PageHeader
        title="Policy rules"
        description="Before anything runs, the gate checks these rules top to bottom and the first that matches decides: allow, deny or wait for approval. When none matches, the defaults by security level apply."
        actions={
          isAdmin &&
          onAdd && (
            <Button variant="primary" icon={<PlusIcon />} onClick={onAdd} disabled={!!addDisabledReason} title={addDisabledReason ?? undefined}>
              Add rule
            </Button>
          )
        }
      />
    </>
  );
}

function RulesEditor({ initial, initialHistory, isAdmin, permissions }: { initial: RuleSet; initialHistory: HistoryPage; isAdmin: boolean; permissions: CatalogPermission[] }) {
  const toast = useToast();
  const editorId = useId();
  const editor = useRef<YamlEditorHandle>(null);
  const [set, setSet] = useState(initial);
  const [history, setHistory] = useState(initialHistory);
  const [loadingMore, setLoadingMore] = useState(false);
  const [text, setText] = useState(initial.yaml);
  const [comment, setComment] = useState("");
  const [validation, setValidation] = useState<Validation>(null);
  const [busy, setBusy] = useState<null | "yaml" | "list" | "restore">(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [newer, setNewer] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<OrgRule | null>(null);
  const dirty = text !== set.yaml;
  const listBlocked = dirty ? UNSAVED_EDITS : null;

  const refreshHistory = useCallback(async () => {
    try {
      setHistory(await apiFetch<HistoryPage>(`/api/policy/rules/versions?limit=${HISTORY_PAGE_SIZE}`));
    } catch {
      // The list stays as it was; the next save or reload refreshes it.
    }
  }, []);

  /** Shows a version as the one in force (after a save, a reload or a restore). */
  const apply = useCallback((next: RuleSet) => {
    setSet(next);
    setText(next.yaml);
    setValidation(null);
    setConflict(null);
    setNewer((n) => (n !== null && n > next.version ? n : null));
  }, []);

  const reloadLatest = useCallback(async () => {
    try {
      apply(await apiFetch<RuleSet>("/api/policy/rules"));
      await refreshHistory();
    } catch (err) {
      toast.error("Could not reload the rules", errorMessage(err));
    }
  }, [apply, refreshHistory, toast]);

  useLiveEvents({
    filter: "type=policy.rule_changed",
    onEvent: (e) => {
      const v = Number((e.data as { version?: unknown }).version);
      if (!Number.isFinite(v) || v <= set.version) return;
      // An untouched page follows along; with edits in progress, say so and let them choose.
      if (!dirty && busy === null && !adding) void reloadLatest();
      else setNewer((n) => Math.max(n ?? 0, v));
    },
  });

  async function save(body: { yaml: string } | { rules: unknown[] }, note: string): Promise<SaveRulesResult> {
    try {
      const saved = await apiFetch<RuleSet>("/api/policy/rules", { method: "PUT", json: { ...body, comment: note.trim() || undefined, expectedVersion: set.version } });
      if (saved.version === set.version) toast.show({ tone: "info", title: "Nothing to save", description: "These are the rules in force already." });
      else toast.success(`Saved version ${saved.version}`, note.trim() || undefined);
      apply(saved);
      await refreshHistory();
      return { ok: true };
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        try {
          setConflict({ latest: await apiFetch<RuleSet>("/api/policy/rules") });
        } catch {
          setConflict({ latest: { ...set, version: set.version + 1 } });
        }
        return { ok: false, message: CONFLICT_MESSAGE };
      }
      if (err instanceof ApiError && err.status === 422 && err.errors.length) return { ok: false, errors: err.errors };
      return { ok: false, message: errorMessage(err) };
    }
  }

  function edit(next: string) {
    setText(next);
    setValidation(null);
  }

  function validate(): boolean {
    const { rules, errors } = parseRulesYaml(text);
    if (errors.length) {
      setValidation({ ok: false, errors: locateErrors(text, errors), from: "check" });
      return false;
    }
    setValidation({ ok: true, count: rules.length });
    return true;
  }

  async function saveYaml() {
    if (!validate()) return;
    setBusy("yaml");
    const result = await save({ yaml: text }, comment);
    setBusy(null);
    if (result.ok) setComment("");
    else if (result.errors) setValidation({ ok: false, errors: locateErrors(text, result.errors), from: "server" });
    else if (result.message && result.message !== CONFLICT_MESSAGE) toast.error("The rules were not saved", result.message);
  }

  async function saveList(next: OrgRule[], note: string): Promise<boolean> {
    setBusy("list");
    const result = await save({ rules: next }, note);
    setBusy(null);
    if (!result.ok && result.message && result.message !== CONFLICT_MESSAGE) toast.error("The rules were not saved", result.message);
    if (!result.ok && result.errors) toast.error("The rules were not saved", result.errors.map((e) => `${e.path}: ${e.message}`).join("; "));
    return result.ok;
  }

  function move(index: number, by: -1 | 1) {
    const next = [...set.rules];
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule!);
    void saveList(next, `Moved rule ${rule!.id} ${by < 0 ? "up" : "down"}`);
  }

  function onEditorKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key === "Enter") {
      e.preventDefault();
      validate();
    } else if (mod && e.key.toLowerCase() === "s" && isAdmin) {
      e.preventDefault();
      if (dirty && busy === null) void saveYaml();
    }
  }

  const errorLines = new Set(validation && !validation.ok ? validation.errors.map((e) => e.line).filter((l): l is number => l !== null) : []);
  const savedBy = set.version > 0 ? authorName(set.author, set.createdBy) : null;

  return (
    <PageContainer wide className="max-w-[1400px]">
      <Header isAdmin={isAdmin} onAdd={() => setAdding(true)} addDisabledReason={listBlocked} />

      <div className="mt-5 space-y-3">
        {!isAdmin && (
          <Alert tone="info" title="Read only">
            Only administrators can change the rules. You can read them, their YAML and their history.
          </Alert>
        )}
        {conflict && (
          <Alert
            tone="warning"
            title={`Someone else saved version ${conflict.latest.version}`}
            data-testid="rules-conflict"
            action={
              <Button size="sm" variant="secondary" onClick={() => void reloadLatest()}>
                Reload
              </Button>
            }
          >
            {conflict.latest.author ? `${authorName(conflict.latest.author, conflict.latest.createdBy)} saved it` : "It was saved"} while you were editing, so your change was not saved. Reload to see the rules in force, then make your
            change again{dirty ? " (copy your YAML first: reloading replaces it)" : ""}.
          </Alert>
        )}
        {newer !== null && !conflict && (
          <Alert
            tone="info"
            title={`Version ${newer} was saved by someone else`}
            action={
              <Button size="sm" variant="secondary" onClick={() => void reloadLatest()}>
                Reload
              </Button>
            }
          >
            You are looking at version {set.version}. {dirty ? "Saving your edits now would be refused; copy them, reload, and apply them again." : "Reload to see the rules in force."}
          </Alert>
        )}
      </div>

      <div className="mt-5 grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_380px]">
        <div className="min-w-0 space-y-6">
          <Card aria-labelledby="rules-in-force-title">
            <CardHeader
              id="rules-in-force-title"
              title="Rules in force"
              description={
                set.version > 0 ? (
                  <span data-testid="rules-version-line">
                    Version {set.version} · saved by {savedBy}
                    {set.createdAt && (
                      <>
                        {" "}
                        · <RelativeTime iso={set.createdAt} />
                      </>
                    )}
                    {set.comment && <> · “{set.comment}”</>}
                  </span>
                ) : (
                  "No version saved yet."
                )
              }
              actions={set.version > 0 ? <Badge tone="accent">v{set.version}</Badge> : undefined}
            />
            {set.rules.length === 0 ? (
              <EmptyState
                className="py-10"
                icon={<ShieldIcon />}
                title="No rules: the defaults by security level apply"
                description="Every request is decided by its risk, as below. Add a rule to allow, deny or require approval for specific capabilities, actions, permissions, domains or agents."
                actions={
                  isAdmin && (
                    <>
                      <Button variant="primary" icon={<PlusIcon />} onClick={() => setAdding(true)} disabled={!!listBlocked}>
                        Add rule
                      </Button>
                      <Button onClick={() => editor.current?.focus()}>Write YAML</Button>
                    </>
                  )
                }
              >
                <div className="mt-6 w-full max-w-2xl text-left">
                  <DefaultsTable />
                </div>
              </EmptyState>
            ) : (
              <CardBody>
                <ol className="divide-y divide-border" aria-label="Rules, checked in this order" data-testid="rules-list">
                  {set.rules.map((rule, i) => (
                    <li key={rule.id} className="py-3 first:pt-0 last:pb-0" data-testid="rule-item">
                      <RuleCard
                        rule={rule}
                        index={i}
                        aside={
                          isAdmin && (
                            <>
                              <Button size="xs" variant="ghost" aria-label={`Move rule ${rule.id} up`} title={listBlocked ?? "Move up"} disabled={i === 0 || busy !== null || !!listBlocked} onClick={() => move(i, -1)}>
                                <ArrowUpIcon className="size-3.5" />
                              </Button>
                              <Button size="xs" variant="ghost" aria-label={`Move rule ${rule.id} down`} title={listBlocked ?? "Move down"} disabled={i === set.rules.length - 1 || busy !== null || !!listBlocked} onClick={() => move(i, 1)}>
                                <ArrowUpIcon className="size-3.5 rotate-180" />
                              </Button>
                              <Button size="xs" variant="danger-ghost" aria-label={`Delete rule ${rule.id}`} title={listBlocked ?? "Delete"} disabled={busy !== null || !!listBlocked} onClick={() => setDeleting(rule)}>
                                <XIcon className="size-3.5" />
                              </Button>
                            </>
                          )
                        }
                      />
                    </li>
                  ))}
                </ol>
                {isAdmin && listBlocked && <p className="mt-3 text-[12.5px] text-fg-subtle">{listBlocked}</p>}
              </CardBody>
            )}
          </Card>

          <Card aria-labelledby="yaml-title">
            <CardHeader
              id="yaml-title"
              title={isAdmin ? "Edit as YAML" : "YAML"}
              description={
                <>
                  The same rules as a document: <code className="font-mono text-[12px]">rules:</code> and one entry per rule. See lib/policy/README.md for every field.
                </>
              }
              actions={dirty ? <Badge tone="warning" dot>Unsaved changes</Badge> : undefined}
            />
            <CardBody className="space-y-3">
              <label htmlFor={editorId} className="sr-only">
                Rules as YAML
              </label>
              <YamlEditor ref={editor} id={editorId} value={text} onChange={edit} readOnly={!isAdmin} errorLines={errorLines} onKeyDown={onEditorKey} aria-describedby={`${editorId}-status`} />
              <div id={`${editorId}-status`} aria-live="polite">
                {validation?.ok === true && (
                  <Alert tone="success" data-testid="yaml-valid">
                    Valid: {validation.count} rule{validation.count === 1 ? "" : "s"}.{dirty ? " Not saved yet." : ""}
                  </Alert>
                )}
                {validation?.ok === false && (
                  <Alert tone="danger" title={`${validation.errors.length} error${validation.errors.length === 1 ? "" : "s"}${validation.from === "server" ? " (the server refused the save)" : ""}`} data-testid="yaml-errors">
                    <ul className="mt-1 space-y-1">
                      {validation.errors.map((e) => (
                        <li key={`${e.path}:${e.message}`} className="flex flex-wrap items-baseline gap-x-2">
                          {e.line !== null ? (
                            <button type="button" className="font-mono text-[12px] text-danger underline-offset-2 hover:underline" onClick={() => editor.current?.goToLine(e.line!)}>
                              line {e.line}
                            </button>
                          ) : null}
                          <code className="font-mono text-[12px] text-fg">{e.path}</code>
                          <span>{e.message}</span>
                        </li>
                      ))}
                    </ul>
                  </Alert>
                )}
              </div>
              <div className="flex flex-wrap items-end gap-3">
                {isAdmin && (
                  <TextField className="min-w-[16rem] flex-1" label="Comment for the history" value={comment} onChange={(e) => setComment(e.target.value)} placeholder="What changed and why" maxLength={500} inputSize="sm" />
                )}
                <div className="flex items-center gap-2">
                  <Button size="sm" onClick={validate}>
                    Validate
                  </Button>
                  {isAdmin && (
                    <>
                      <Button size="sm" variant="ghost" disabled={!dirty || busy !== null} onClick={() => edit(set.yaml)}>
                        Discard changes
                      </Button>
                      <Button size="sm" variant="primary" loading={busy === "yaml"} disabled={!dirty || (busy !== null && busy !== "yaml")} onClick={() => void saveYaml()}>
                        Save as version {set.version + 1}
                      </Button>
                    </>
                  )}
                </div>
              </div>
              <p className="text-[12px] text-fg-subtle">
                <Kbd>Ctrl</Kbd> <Kbd>Enter</Kbd> validates{isAdmin && <>, <Kbd>Ctrl</Kbd> <Kbd>S</Kbd> saves</>}. Tab leaves the editor; indent with spaces.
              </p>
            </CardBody>
          </Card>
        </div>

        <aside className="space-y-6" aria-label="History and defaults">
          <Card aria-labelledby="history-title">
            <CardHeader id="history-title" title="History" description="Every save is a new version; nothing is overwritten." />
            <CardBody>
              <RuleHistory
                history={history}
                currentVersion={set.version}
                loadingMore={loadingMore}
                onLoadMore={async () => {
                  if (!history.nextCursor) return;
                  setLoadingMore(true);
                  try {
                    const more = await apiFetch<HistoryPage>(`/api/policy/rules/versions?limit=${HISTORY_PAGE_SIZE}&cursor=${encodeURIComponent(history.nextCursor)}`);
                    setHistory((h) => ({ items: [...h.items, ...more.items.filter((m) => !h.items.some((x) => x.version === m.version))], nextCursor: more.nextCursor }));
                  } catch (err) {
                    toast.error("Could not load older versions", errorMessage(err));
                  } finally {
                    setLoadingMore(false);
                  }
                }}
                canRestore={isAdmin}
                restoreBlockedReason={dirty ? UNSAVED_EDITS : null}
                onRestore={async (old) => {
                  setBusy("restore");
                  const result = await save({ yaml: old.yaml }, `Restored version ${old.version}`);
                  setBusy(null);
                  if (!result.ok && result.message !== CONFLICT_MESSAGE) toast.error("Version not restored", result.message ?? result.errors?.map((e) => `${e.path}: ${e.message}`).join("; "));
                  return result.ok;
                }}
              />
            </CardBody>
          </Card>
          {set.rules.length > 0 && (
            <Card aria-labelledby="defaults-title">
              <CardHeader id="defaults-title" title="When no rule matches" description="The defaults by security level decide." />
              <CardBody>
                <DefaultsTable compact />
              </CardBody>
            </Card>
          )}
        </aside>
      </div>

      {isAdmin && (
        <AddRuleDialog
          open={adding}
          onClose={() => setAdding(false)}
          rules={set.rules}
          permissions={permissions}
          onSave={async (next, note) => {
            setBusy("list");
            const result = await save({ rules: next }, note);
            setBusy(null);
            if (result.ok) setAdding(false);
            return result;
          }}
        />
      )}
      <DeleteRuleDialog
        key={deleting?.id ?? "none"}
        rule={deleting}
        onClose={() => setDeleting(null)}
        onDelete={async (rule, note) => {
          const ok = await saveList(
            set.rules.filter((r) => r.id !== rule.id),
            note || `Deleted rule ${rule.id}`,
          );
          if (ok) setDeleting(null);
        }}
        busy={busy === "list"}
      />
    </PageContainer>
  );
}

function DeleteRuleDialog({ rule, onClose, onDelete, busy }: { rule: OrgRule | null; onClose: () => void; onDelete: (rule: OrgRule, comment: string) => Promise<void>; busy: boolean }) {
  const [comment, setComment] = useState("");
  return (
    <Dialog
      open={rule !== null}
      onClose={onClose}
      dismissible={!busy}
      size="md"
      title={rule ? `Delete rule ${rule.id}?` : "Delete rule"}
      description="The rules are saved as a new version without it; the history keeps the old one, so you can restore it."
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="danger" loading={busy} onClick={() => rule && void onDelete(rule, comment.trim())}>
            Delete and save
          </Button>
        </>
      }
    >
      {rule && (
        <div className="space-y-4">
          <RuleCard rule={rule} className="rounded-lg border border-border p-3" />
          <TextField label="Comment for the history" value={comment} onChange={(e) => setComment(e.target.value)} placeholder={`Deleted rule ${rule.id}`} maxLength={500} />
        </div>
      )}
    </Dialog>
  );
}
