"use client";
// What the wizard shows of a draft, as opposed to what the draft is: the selected action,
// YAML or JSON in the manifest panel, and whether that panel is collapsed. Not part of the
// draft (two tabs on one draft may look at different things); kept per draft in this
// browser's localStorage so a reload comes back to the same view. Read after mount (the
// server render knows nothing of it), written on change once the draft has an id.
import { useEffect, useRef } from "react";
import { z } from "zod";
import { ManifestDocFormatSchema } from "@/lib/builder/manifest-doc/manifest-doc";

const ViewPrefsSchema = z.object({
  actionKey: z.string().max(100).nullable().catch(null),
  format: ManifestDocFormatSchema.catch("yaml"),
  panelCollapsed: z.boolean().catch(false),
});
export type ViewPrefs = z.infer<typeof ViewPrefsSchema>;

const storageKey = (draftId: string) => `capreg.builder.view.${draftId}`;

function read(draftId: string): ViewPrefs | null {
  try {
    const raw = window.localStorage.getItem(storageKey(draftId));
    if (!raw) return null;
    const parsed = ViewPrefsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // storage disabled or a broken entry: the default view
  }
}

/**
 * Restores the view of `draftId` once after mount (through `apply`) and saves `prefs` whenever
 * they change. `draftId` may arrive later (a new draft's first save); saving starts then.
 */
export function useViewPrefs(draftId: string | null, prefs: ViewPrefs, apply: (prefs: ViewPrefs) => void): void {
  const restored = useRef(false);
  const applyRef = useRef(apply);
  useEffect(() => {
    applyRef.current = apply;
  });
  useEffect(() => {
    if (restored.current || !draftId) return;
    restored.current = true;
    const saved = read(draftId);
    if (saved) applyRef.current(saved);
  }, [draftId]);
  const { actionKey, format, panelCollapsed } = prefs;
  useEffect(() => {
    if (!draftId || !restored.current) return;
    try {
      window.localStorage.setItem(storageKey(draftId), JSON.stringify({ actionKey, format, panelCollapsed } satisfies ViewPrefs));
    } catch {
      // storage full or disabled: the view is simply not remembered
    }
  }, [draftId, actionKey, format, panelCollapsed]);
}
