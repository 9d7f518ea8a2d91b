"use client";
// Runs GET /api/events/verify (a full walk of the hash chain and signed checkpoints) on
// demand, one run at a time, and keeps the last result for every inspected event.
import { useCallback, useRef, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  firstBrokenSeq?: number;
  reason?: string;
  checkpoints: { checked: number; lastSeq: number | null; keyId: string };
}

export interface ChainVerification {
  status: "idle" | "running" | "done" | "error";
  result: VerifyResult | null;
  error: string | null;
  run: () => void;
}

export function useChainVerification(): ChainVerification {
  const [state, setState] = useState<Omit<ChainVerification, "run">>({ status: "idle", result: null, error: null });
  const running = useRef(false);
  const run = useCallback(() => {
    if (running.current) return;
    running.current = true;
    setState((s) => ({ ...s, status: "running", error: null }));
    apiFetch<VerifyResult>("/api/events/verify")
      .then((result) => setState({ status: "done", result, error: null }))
      .catch((err: unknown) => setState((s) => ({ ...s, status: "error", error: errorMessage(err) })))
      .finally(() => {
        running.current = false;
      });
  }, []);
  return { ...state, run };
}
