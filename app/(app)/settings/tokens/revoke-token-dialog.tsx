"use client";
import { useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import type { TokenRecord } from "@/lib/auth/api-tokens";

export function RevokeTokenDialog({ token, onClose, onRevoked }: { token: TokenRecord | null; onClose: () => void; onRevoked: (record: TokenRecord) => void }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    if (!token) return;
    setPending(true);
    setError(null);
    try {
      onRevoked(await apiFetch<TokenRecord>(`/api/tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={token !== null}
      onClose={() => {
        setError(null);
        onClose();
      }}
      dismissible={!pending}
      size="sm"
      title={token ? `Revoke “${token.name}”?` : "Revoke token"}
      description="Anything using this token gets 401 Unauthorized from its next request. This cannot be undone."
    >
      {token && (
        <>
          <p className="rounded-lg bg-surface-2 px-3 py-2 font-mono text-xs text-fg-muted">{token.prefix}…</p>
          {error && <Alert tone="danger" className="mt-3">{error}</Alert>}
          <DialogFooter>
            <Button variant="ghost" onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button variant="danger" onClick={revoke} loading={pending} data-testid="token-revoke-confirm">
              Revoke token
            </Button>
          </DialogFooter>
        </>
      )}
    </Dialog>
  );
}
