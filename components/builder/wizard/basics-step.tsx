"use client";
// Step 1, Basics: name, slug (checked as you type: free, yours — publishing adds a version —
// or taken), description, icon (a few emoji to pick or any text), category, version, tags.
import { useEffect, useId, useState } from "react";
import { apiFetch } from "@/components/api/api-client";
import { CheckCircleIcon, AlertIcon } from "@/components/icons";
import { Label, FieldMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { cx } from "@/components/ui/cx";
import { slugify, type BuilderState } from "@/lib/builder/draft/draft-state";
import type { SlugAvailability } from "@/lib/builder/slug-availability";
import { CATEGORIES, SLUG_PATTERN } from "@/lib/registry/manifest-schema";
import { errorAt, type Problem } from "./field-errors";

const EMOJI = ["🧩", "🌤️", "📏", "💱", "📊", "✉️", "🔎", "🧮", "🗓️", "🤖", "📦", "🔐"];

export type SlugStatus = { kind: "idle" | "checking" | "available" | "yours" | "taken" | "error"; message?: string };

/** Debounced availability of a slug (GET /api/builder/slugs/:slug): free, yours (publishing adds a version), taken or reserved. */
export function useSlugStatus(slug: string, generation = 0): SlugStatus {
  const [checked, setChecked] = useState<{ key: string; status: SlugStatus } | null>(null);
  const valid = SLUG_PATTERN.test(slug);
  const key = `${slug}#${generation}`;
  useEffect(() => {
    if (!valid) return;
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      apiFetch<SlugAvailability>(`/api/builder/slugs/${encodeURIComponent(slug)}`, { signal: ctrl.signal })
        .then((a) => setChecked({ key, status: { kind: a.status === "available" || a.status === "yours" ? a.status : "taken", message: a.message } }))
        .catch((err) => {
          if (err instanceof DOMException && err.name === "AbortError") return;
          setChecked({ key, status: { kind: "error", message: "Could not check the slug right now." } });
        });
    }, 350);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [slug, valid, key]);
  if (!valid) return { kind: "idle" };
  return checked?.key === key ? checked.status : { kind: "checking" };
}

function useCategories(): string[] {
  const [cats, setCats] = useState<string[]>([...CATEGORIES]);
  useEffect(() => {
    let live = true;
    apiFetch<{ items: { category: string }[] }>("/api/capabilities/categories")
      .then((r) => live && setCats([...new Set([...CATEGORIES, ...r.items.map((i) => i.category)])]))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return cats;
}

/** `generation` changes when the slug's owner may have changed (after a publish): check again. */
export function BasicsStep({ state, errors, onChange, generation = 0 }: { state: BuilderState; errors: Problem[]; onChange: (b: BuilderState["basics"]) => void; generation?: number }) {
  const b = state.basics;
  const ids = { name: useId(), slug: useId(), description: useId(), icon: useId(), category: useId(), version: useId(), tags: useId() };
  const [slugTouched, setSlugTouched] = useState(b.slug !== "" && b.slug !== slugify(b.name));
  const slugStatus = useSlugStatus(b.slug, generation);
  const categories = useCategories();
  const [tagText, setTagText] = useState(b.tags.join(", "));
  const [tagsSeen, setTagsSeen] = useState(b.tags);
  if (tagsSeen !== b.tags) {
    // The manifest panel may change the tags: follow it unless the text already says the same.
    setTagsSeen(b.tags);
    if (parseTags(tagText).join(",") !== b.tags.join(",")) setTagText(b.tags.join(", "));
  }

  const set = (patch: Partial<BuilderState["basics"]>) => onChange({ ...b, ...patch });
  const slugError = errorAt(errors, "slug") ?? (slugStatus.kind === "taken" ? slugStatus.message : undefined);

  return (
    <div className="grid gap-5 md:grid-cols-2">
      <div>
        <Label htmlFor={ids.name}>Name</Label>
        <Input
          id={ids.name}
          data-path="name"
          className="mt-1.5"
          value={b.name}
          placeholder="Unit converter"
          invalid={Boolean(errorAt(errors, "name"))}
          aria-describedby={`${ids.name}-m`}
          onChange={(e) => set({ name: e.target.value, ...(slugTouched ? {} : { slug: slugify(e.target.value) }) })}
        />
        <FieldMessage id={`${ids.name}-m`} error={errorAt(errors, "name")} hint="What people see in the marketplace." />
      </div>
      <div>
        <Label htmlFor={ids.slug}>Slug</Label>
        <Input
          id={ids.slug}
          data-path="slug"
          className="mt-1.5 font-mono"
          value={b.slug}
          placeholder="unit-converter"
          invalid={Boolean(slugError)}
          aria-describedby={`${ids.slug}-status`}
          onChange={(e) => {
            setSlugTouched(true);
            set({ slug: e.target.value.toLowerCase() });
          }}
        />
        <p id={`${ids.slug}-status`} role="status" aria-live="polite" className={cx("mt-1.5 flex items-center gap-1.5 text-[12.5px]", slugError ? "text-danger" : slugStatus.kind === "available" ? "text-success" : "text-fg-muted")} data-testid="slug-status">
          {slugError ? (
            <>
              <AlertIcon className="size-3.5" /> {slugError}
            </>
          ) : slugStatus.kind === "checking" ? (
            <>
              <Spinner className="size-3" /> Checking…
            </>
          ) : slugStatus.kind === "available" || slugStatus.kind === "yours" ? (
            <>
              <CheckCircleIcon className="size-3.5" /> {slugStatus.message}
            </>
          ) : slugStatus.kind === "error" ? (
            slugStatus.message
          ) : (
            "Lowercase letters, digits and dashes; it becomes the capability's address."
          )}
        </p>
      </div>
      <div className="md:col-span-2">
        <Label htmlFor={ids.description}>Description</Label>
        <textarea
          id={ids.description}
          data-path="description"
          rows={3}
          value={b.description}
          onChange={(e) => set({ description: e.target.value })}
          placeholder="Converts kilometres to miles."
          className="mt-1.5 block w-full rounded-md border border-border bg-surface px-3 py-2 text-[13px] text-fg placeholder:text-fg-subtle focus-visible:outline-2 focus-visible:outline-ring"
        />
        <FieldMessage id={`${ids.description}-m`} error={errorAt(errors, "description")} />
      </div>
      <div>
        <Label htmlFor={ids.icon}>Icon</Label>
        <div className="mt-1.5 flex items-center gap-2">
          <Input id={ids.icon} data-path="icon" className="w-24 text-center text-lg" value={b.icon} maxLength={64} onChange={(e) => set({ icon: e.target.value })} />
          <div role="group" aria-label="Pick an emoji" className="flex flex-wrap gap-1">
            {EMOJI.map((e) => (
              <button
                key={e}
                type="button"
                aria-label={`Use ${e}`}
                aria-pressed={b.icon === e}
                onClick={() => set({ icon: e })}
                className={cx("grid size-8 place-items-center rounded-md border text-base", b.icon === e ? "border-accent bg-accent-soft" : "border-transparent hover:bg-surface-2")}
              >
                {e}
              </button>
            ))}
          </div>
        </div>
        <FieldMessage id={`${ids.icon}-m`} error={errorAt(errors, "icon")} />
      </div>
      <div>
        <Label htmlFor={ids.category}>Category</Label>
        <Select id={ids.category} data-path="category" className="mt-1.5" value={b.category} onChange={(e) => set({ category: e.target.value })}>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
        <FieldMessage id={`${ids.category}-m`} error={errorAt(errors, "category")} />
      </div>
      <div>
        <Label htmlFor={ids.version}>Version</Label>
        <Input id={ids.version} data-path="version" className="mt-1.5 font-mono" value={b.version} placeholder="0.1.0" invalid={Boolean(errorAt(errors, "version"))} aria-describedby={`${ids.version}-m`} onChange={(e) => set({ version: e.target.value.trim() })} />
        <FieldMessage id={`${ids.version}-m`} error={errorAt(errors, "version")} hint="Semantic version; the publish dialog suggests the next one." />
      </div>
      <div>
        <Label htmlFor={ids.tags}>Tags</Label>
        <Input
          id={ids.tags}
          data-path="tags"
          className="mt-1.5"
          value={tagText}
          placeholder="units, conversion"
          onChange={(e) => {
            setTagText(e.target.value);
            set({ tags: parseTags(e.target.value) });
          }}
        />
        <FieldMessage id={`${ids.tags}-m`} error={errorAt(errors, "tags")} hint="Separated by commas." />
      </div>
    </div>
  );
}

function parseTags(text: string): string[] {
  return [...new Set(text.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean))];
}
