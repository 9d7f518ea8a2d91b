"use client";
import { ShieldAlertIcon, ShieldCheckIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Spinner } from "@/components/ui/spinner";
import type { ChainVerification } from "./use-chain-verification";

const REASONS: Record<string, string> = {
  gap: "a sequence number is missing",
  prev_hash_mismatch: "its previous-hash link does not match",
  hash_mismatch: "its content does not match its hash",
  checkpoint_signature_invalid: "a signed checkpoint's signature is invalid",
  checkpoint_hash_mismatch: "a signed checkpoint does not match the chain",
  checkpoint_beyond_head: "events after the head were removed",
};

export function ChainStatus({ verification, seq }: { verification: ChainVerification; seq: number }) {
  const { status, result, error, run } = verification;
  const stale = result && result.ok && result.headSeq < seq;
  return (
    <div aria-live="polite" data-testid="chain-status" data-state={status === "running" ? "running" : result ? (result.ok ? "ok" : "broken") : status}>
      {status === "running" && !result && (
        <p className="flex items-center gap-2 text-[13px] text-fg-muted">
          <Spinner className="size-3.5" /> Verifying the hash chain…
        </p>
      )}
      {result && (
        <div className={cx("rounded-lg border px-3 py-2.5", result.ok ? "border-success/25 bg-success-soft" : "border-danger/30 bg-danger-soft")}>
          <p className={cx("flex items-center gap-2 text-[13px] font-medium", result.ok ? "text-success" : "text-danger")}>
            {result.ok ? <ShieldCheckIcon className="size-4" /> : <ShieldAlertIcon className="size-4" />}
            {result.ok ? `Chain verified up to seq ${result.headSeq}` : `Chain broken at seq ${result.firstBrokenSeq}`}
          </p>
          <p className="mt-1 text-xs text-fg-muted">
            {result.ok
              ? stale
                ? "This event is newer than the last verification."
                : `This event is covered. ${result.checked} events rehashed; ${result.checkpoints.checked} signed checkpoint${result.checkpoints.checked === 1 ? "" : "s"} checked (key ${result.checkpoints.keyId}).`
              : `Seq ${result.firstBrokenSeq}: ${REASONS[result.reason ?? ""] ?? result.reason}. ${result.firstBrokenSeq !== undefined && seq >= result.firstBrokenSeq ? "This event is at or after the break and cannot be trusted." : "This event is before the break."}`}
          </p>
        </div>
      )}
      {error && <p className="text-[13px] text-danger">Could not verify: {error}</p>}
      <Button size="xs" variant="ghost" className="mt-2 -ml-2" onClick={run} loading={status === "running" && !!result} disabled={status === "running"}>
        {result ? "Verify again" : "Verify chain"}
      </Button>
    </div>
  );
}
