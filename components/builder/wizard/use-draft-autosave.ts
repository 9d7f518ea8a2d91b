"use client";
// Autosave of a builder draft: ~1 s after the last change (and at once on flush(): blur,
// step change), never two saves at a time (a change during a save is saved right after, by
// the same loop), the first save creating the draft (POST) and the others sending the
// revision they edited (PUT). A 409 means another tab saved it: the status says "conflict"
// and saving stops until the author reloads.
import { useCallback, useEffect, useRef, useState } from "react";
import { apiFetch, ApiError, errorMessage } from "@/components/api/api-client";

export type SaveStatus = "new" | "saved" | "unsaved" | "saving" | "error" | "conflict";

interface DraftAnswer {
  id: string;
  revision: number;
  updatedAt: string;
}

export function useDraftAutosave<S>(options: { draft: { id: string; revision: number } | null; state: S; onCreated: (id: string) => void; delayMs?: number }) {
  const { state, delayMs = 1000 } = options;
  const json = JSON.stringify(state);
  const idRef = useRef(options.draft?.id ?? null);
  const revisionRef = useRef(options.draft?.revision ?? 0);
  const savedRef = useRef(json);
  const latestRef = useRef(json);
  const savingRef = useRef(false);
  const stoppedRef = useRef(false);
  const onCreatedRef = useRef(options.onCreated);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [savedJson, setSavedJson] = useState(json);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<{ kind: "error" | "conflict"; message: string } | null>(null);
  const [isNew, setIsNew] = useState(!options.draft);

  useEffect(() => {
    latestRef.current = json;
    onCreatedRef.current = options.onCreated;
  });

  const flush = useCallback(async (): Promise<void> => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    if (savingRef.current || stoppedRef.current) return;
    savingRef.current = true;
    setSaving(true);
    try {
      // Whatever changed during a save is saved by the next turn of this loop.
      while (latestRef.current !== savedRef.current) {
        const snapshot = latestRef.current;
        const body = { state: JSON.parse(snapshot) as unknown };
        const res = idRef.current
          ? await apiFetch<DraftAnswer>(`/api/builder/drafts/${idRef.current}`, { method: "PUT", json: { ...body, expectedRevision: revisionRef.current } })
          : await apiFetch<DraftAnswer>("/api/builder/drafts", { method: "POST", json: body });
        const created = !idRef.current;
        idRef.current = res.id;
        revisionRef.current = res.revision;
        savedRef.current = snapshot;
        setSavedJson(snapshot);
        setFailure(null);
        if (created) {
          setIsNew(false);
          onCreatedRef.current(res.id);
        }
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        stoppedRef.current = true;
        setFailure({ kind: "conflict", message: errorMessage(err) });
      } else setFailure({ kind: "error", message: errorMessage(err) });
    } finally {
      savingRef.current = false;
      setSaving(false);
    }
  }, []);

  useEffect(() => {
    if (stoppedRef.current || json === savedRef.current) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), delayMs);
  }, [json, delayMs, flush]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const dirty = json !== savedJson;
  const status: SaveStatus = failure?.kind === "conflict" ? "conflict" : saving ? "saving" : dirty ? (failure ? "error" : "unsaved") : isNew ? "new" : "saved";
  return { status, error: failure?.message ?? null, flush, dirty };
}
