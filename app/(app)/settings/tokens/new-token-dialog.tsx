"use client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";

/** Shows a newly created secret once. It lives only in this component's props; nothing stores it. */
export function NewTokenDialog({ created, origin, onClose }: { created: { name: string; token: string } | null; origin: string; onClose: () => void }) {
  return (
    <Dialog open={created !== null} onClose={onClose} title="Copy your new token" description={created ? `“${created.name}” is ready.` : undefined} data-testid="new-token-dialog">
      {created && (
        <>
          <Alert tone="warning" title="You will not see it again">
            We store only a hash of this token. Copy it now and keep it somewhere safe, such as your CI secrets or a password manager.
          </Alert>
          <div className="mt-4 flex items-stretch gap-2">
            <code
              data-testid="new-token-value"
              className="block min-w-0 flex-1 rounded-lg border border-border bg-surface-2 px-3 py-2 font-mono text-[12.5px] break-all text-fg select-all"
            >
              {created.token}
            </code>
            <CopyButton value={created.token} variant="primary" className="h-auto" />
          </div>
          <p className="mt-4 mb-1.5 text-xs font-medium text-fg-subtle">Try it</p>
          <pre className="overflow-x-auto rounded-lg bg-surface-2 px-3 py-2.5 font-mono text-[11.5px] leading-relaxed text-fg-muted">
            {`curl ${origin}/api/me \\\n  -H "Authorization: Bearer ${created.token.slice(0, 10)}…"`}
          </pre>
          <DialogFooter>
            <Button variant="secondary" onClick={onClose}>
              Done
            </Button>
          </DialogFooter>
        </>
      )}
    </Dialog>
  );
}
