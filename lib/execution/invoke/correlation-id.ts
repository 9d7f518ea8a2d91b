// The correlation id of an invocation: the caller's `X-Correlation-Id` when it is one of
// ours (`cor_…`, so nothing else can be smuggled into rows, events and outbound headers),
// else a new one. It ties the execution row, its events, workflow steps and outbound requests together.
import { hasPrefix, newId } from "../../ids";

export const CORRELATION_HEADER = "x-correlation-id";

export function correlationIdFrom(headers: Headers): string {
  const given = headers.get(CORRELATION_HEADER)?.trim();
  return given && hasPrefix(given, "cor") ? given : newId("cor");
}
