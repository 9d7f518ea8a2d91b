"use client";
import { useState } from "react";
import { KeyIcon, PlusIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { useToast } from "@/components/ui/toast";
import type { TokenRecord } from "@/lib/auth/api-tokens";
import { CreateTokenDialog, type ScopeOption } from "./create-token-dialog";
import { NewTokenDialog } from "./new-token-dialog";
import { RevokeTokenDialog } from "./revoke-token-dialog";
import { TokensTable } from "./tokens-table";

export function TokensView({ initialTokens, scopeOptions, origin }: { initialTokens: TokenRecord[]; scopeOptions: ScopeOption[]; origin: string }) {
  const [tokens, setTokens] = useState(initialTokens);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<TokenRecord | null>(null);
  const toast = useToast();

  const createButton = (
    <Button variant="primary" icon={<PlusIcon className="size-4" />} onClick={() => setCreating(true)} data-testid="token-new-button">
      Create token
    </Button>
  );

  return (
    <>
      <Card aria-labelledby="tokens-title" className="overflow-hidden">
        <CardHeader
          id="tokens-title"
          title="API tokens"
          description={
            <>
              Tokens let scripts, CI jobs and agents call the API as you, limited to the scopes you pick. Send one as{" "}
              <code className="rounded bg-surface-2 px-1 py-0.5 font-mono text-[11.5px] text-fg">Authorization: Bearer &lt;token&gt;</code>.
            </>
          }
          actions={tokens.length > 0 ? createButton : undefined}
        />
        {tokens.length === 0 ? (
          <EmptyState
            icon={<KeyIcon />}
            title="No API tokens yet"
            description="Create a token to record notes from a script, follow the audit log from a dashboard, or let an agent invoke capabilities."
            actions={createButton}
          />
        ) : (
          <TokensTable tokens={tokens} onRevoke={setRevoking} />
        )}
      </Card>

      <CreateTokenDialog
        open={creating}
        onClose={() => setCreating(false)}
        scopeOptions={scopeOptions}
        onCreated={(record, token) => {
          setTokens((ts) => [record, ...ts]);
          setCreating(false);
          setCreated({ name: record.name, token });
        }}
      />
      <NewTokenDialog created={created} origin={origin} onClose={() => setCreated(null)} />
      <RevokeTokenDialog
        token={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={(record) => {
          setTokens((ts) => ts.map((t) => (t.id === record.id ? record : t)));
          setRevoking(null);
          toast.success(`Token “${record.name}” revoked`, "Requests that use it are refused from now on.");
        }}
      />
    </>
  );
}
