"use client";
// An admin's decision on a public version waiting in review: approve at once, or reject
// with a reason (the API requires one) in a small dialog.
import { useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { CheckIcon, XIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { FieldMessage, Label } from "@/components/ui/field";
import { controlClasses } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

export function ReviewDecision({ slug, version, onDecided, size = "sm" }: { slug: string; version: string; onDecided: () => void; size?: "xs" | "sm" }) {
  const toast = useToast();
  const [approving, setApproving] = useState(false);
  const [rejecting, setRejecting] = useState(false);

  async function approve() {
    setApproving(true);
    try {
      await apiFetch(`/api/capabilities/${encodeURIComponent(slug)}/versions/${encodeURIComponent(version)}/review`, { method: "POST", json: { decision: "approve" } });
      toast.success(`Version ${version} approved`, "It is listed in the marketplace now.");
      onDecided();
    } catch (err) {
      toast.error("Could not approve", errorMessage(err));
    } finally {
      setApproving(false);
    }
  }

  return (
    <>
      <div className="flex items-center gap-1.5">
        <Button size={size} variant="primary" icon={<CheckIcon className="size-3.5" />} loading={approving} onClick={approve} data-testid={`approve-version-${version}`}>
          Approve
        </Button>
        <Button size={size} variant="danger-ghost" icon={<XIcon className="size-3.5" />} onClick={() => setRejecting(true)} data-testid={`reject-version-${version}`}>
          Reject
        </Button>
      </div>
      <RejectDialog open={rejecting} slug={slug} version={version} onClose={() => setRejecting(false)} onRejected={() => {
        setRejecting(false);
        toast.success(`Version ${version} rejected`, "The publisher sees your reason on the capability page.");
        onDecided();
      }} />
    </>
  );
}

function RejectDialog({ open, slug, version, onClose, onRejected }: { open: boolean; slug: string; version: string; onClose: () => void; onRejected: () => void }) {
  const [comment, setComment] = useState("");
  const [error, setError] = useState<{ field?: string; form?: string }>({});
  const [pending, setPending] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!comment.trim()) {
      setError({ field: "Say why, so the publisher can fix it." });
      return;
    }
    setPending(true);
    try {
      await apiFetch(`/api/capabilities/${encodeURIComponent(slug)}/versions/${encodeURIComponent(version)}/review`, { method: "POST", json: { decision: "reject", comment: comment.trim() } });
      setComment("");
      onRejected();
    } catch (err) {
      setError(err instanceof ApiError && err.fieldError("comment") ? { field: err.fieldError("comment") } : { form: errorMessage(err) });
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog open={open} onClose={onClose} dismissible={!pending} title={`Reject version ${version}`} description="The version stays unlisted. The publisher reads your reason on the capability page and can publish a fixed version.">
      <form onSubmit={submit} noValidate>
        {error.form && <Alert tone="danger" className="mb-3">{error.form}</Alert>}
        <Label htmlFor="reject-comment" className="mb-1.5">
          Reason
        </Label>
        <textarea
          id="reject-comment"
          autoFocus
          rows={4}
          value={comment}
          onChange={(e) => {
            setComment(e.target.value);
            setError({});
          }}
          aria-invalid={!!error.field || undefined}
          placeholder="e.g. It asks for network.http.post but never sends anything."
          className={`${controlClasses} py-2`}
          maxLength={4000}
        />
        <FieldMessage id="reject-comment-message" error={error.field} />
        <DialogFooter>
          <Button variant="ghost" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" loading={pending}>
            Reject version
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
