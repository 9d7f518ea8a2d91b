"use client";
// Publishing the draft (owner or admin): version number, changelog, and whether it goes
// public (then it waits for an admin's review) or stays private to the publisher.
import { useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { FieldMessage, Label, TextField } from "@/components/ui/field";
import { controlClasses } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

export function PublishDialog({ open, onClose, slug, draftVersion, onPublished }: { open: boolean; onClose: () => void; slug: string; draftVersion: string; onPublished: () => void }) {
  const toast = useToast();
  const [version, setVersion] = useState(draftVersion);
  const [changelog, setChangelog] = useState("");
  const [visibility, setVisibility] = useState<"private" | "public">("public");
  const [errors, setErrors] = useState<{ version?: string; changelog?: string; form?: string }>({});
  const [pending, setPending] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!changelog.trim()) {
      setErrors({ changelog: "Say what this version changes." });
      return;
    }
    setPending(true);
    try {
      await apiFetch(`/api/capabilities/${encodeURIComponent(slug)}/versions`, { method: "POST", json: { version: version.trim() || undefined, changelog: changelog.trim(), visibility } });
      toast.success(`Version ${version} published`, visibility === "public" ? "It waits for an admin's review before it is listed." : "It is private: only you and admins can install it.");
      onPublished();
      onClose();
    } catch (err) {
      if (err instanceof ApiError && (err.fieldError("version") || err.fieldError("changelog"))) setErrors({ version: err.fieldError("version"), changelog: err.fieldError("changelog") });
      else setErrors({ form: errorMessage(err) });
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog open={open} onClose={onClose} dismissible={!pending} title="Publish this draft" description="A published version is frozen: its content and hash never change. Later changes go into a higher version." size="md">
      <form onSubmit={submit} noValidate>
        {errors.form && <Alert tone="danger" className="mb-4">{errors.form}</Alert>}
        <TextField label="Version" value={version} onChange={(e) => setVersion(e.target.value)} error={errors.version} hint="Semantic version, higher than every earlier one." className="[&_input]:font-mono" data-testid="publish-version-input" />
        <div className="mt-4">
          <Label htmlFor="publish-changelog" className="mb-1.5">
            Changelog
          </Label>
          <textarea id="publish-changelog" rows={4} value={changelog} onChange={(e) => setChangelog(e.target.value)} aria-invalid={!!errors.changelog || undefined} placeholder="What changed, in a sentence or a list." className={`${controlClasses} py-2`} data-testid="publish-changelog" />
          <FieldMessage id="publish-changelog-message" error={errors.changelog} />
        </div>
        <fieldset className="mt-4">
          <legend className="mb-1.5 text-[13px] font-medium text-fg">Visibility</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {(
              [
                ["public", "Public", "Listed in the marketplace after an admin approves it."],
                ["private", "Private", "Only you and admins can see and install it."],
              ] as const
            ).map(([value, label, hint]) => (
              <label key={value} className={cx("flex cursor-pointer items-start gap-2.5 rounded-lg border px-3 py-2.5", visibility === value ? "border-accent/50 bg-accent-soft/60" : "border-border hover:border-border-strong")}>
                <input type="radio" name="visibility" value={value} checked={visibility === value} onChange={() => setVisibility(value)} className="mt-1 accent-[var(--accent)]" />
                <span>
                  <span className="block text-[13px] font-medium text-fg">{label}</span>
                  <span className="block text-[12px] text-fg-muted">{hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <DialogFooter>
          <Button variant="ghost" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={pending} data-testid="publish-submit">
            Publish version
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
