// The approval inbox's pure parts: filters in the URL (parsed strictly, written in a stable
// order, the selection kept), how long is left before expiry, when an approval can no
// longer change by itself (the run panel and the detail stop waiting then), and the one-line
// title of a request per kind.
import { describe, expect, test } from "vitest";
import { approvalFiltersKey, approvalsUrl, parseApprovalFilters, parseSelectedId } from "@/app/(app)/approvals/approval-filters";
import { approvalTitle, approverLabel, securityLevelMeta, timeLeft } from "@/components/approvals/approval-format";
import { isFinalResult, isSettled } from "@/components/approvals/approval-types";

const params = (qs: string) => new URLSearchParams(qs);

describe("inbox filters in the URL", () => {
  test("keeps valid values and drops anything else", () => {
    expect(parseApprovalFilters(params("status=pending&agentId=agt_01ab&capability=unit-converter&risk=high"))).toEqual({ status: "pending", agentId: "agt_01ab", capability: "unit-converter", risk: "high" });
    expect(parseApprovalFilters(params("status=maybe&agentId=a%20b&capability=Bad_Slug&risk=extreme"))).toEqual({ status: "", agentId: "", capability: "", risk: "" });
  });

  test("the selection is an approval id or nothing", () => {
    expect(parseSelectedId(params("id=apr_01m80avaht4nc8scq4a4jx7m0h"))).toBe("apr_01m80avaht4nc8scq4a4jx7m0h");
    expect(parseSelectedId(params("id=exe_01m8"))).toBeNull();
    expect(parseSelectedId(params("id=apr_<script>"))).toBeNull();
  });

  test("equal filters give equal keys and URLs, whatever the order they came in", () => {
    const a = parseApprovalFilters(params("risk=high&status=pending"));
    const b = parseApprovalFilters(params("status=pending&risk=high"));
    expect(approvalFiltersKey(a)).toBe(approvalFiltersKey(b));
    expect(approvalsUrl(a, "apr_1")).toBe("/approvals?status=pending&risk=high&id=apr_1");
    expect(approvalsUrl(parseApprovalFilters(params("")), null)).toBe("/approvals");
  });
});

describe("time left before expiry", () => {
  const now = Date.parse("2026-11-22T12:00:00Z");
  test("in days, hours and minutes, then nothing once past", () => {
    expect(timeLeft("2026-11-24T12:00:01Z", now)).toBe("2 days left");
    expect(timeLeft("2026-11-22T15:30:00Z", now)).toBe("3h 30m left");
    expect(timeLeft("2026-11-22T12:12:00Z", now)).toBe("12m left");
    expect(timeLeft("2026-11-22T12:00:30Z", now)).toBe("under a minute left");
    expect(timeLeft("2026-11-22T12:00:00Z", now)).toBeNull();
    expect(timeLeft("2026-11-21T12:00:00Z", now)).toBeNull();
  });
});

describe("when an approval stops changing by itself", () => {
  const links = { self: "/api/approvals/apr_1", decide: "", html: "", stream: "" };
  const withExecution = { ...links, execution: "/api/executions/exe_1" };
  const result = (status: string) => ({ executionId: "exe_1", status, output: null, durationMs: 1, links: { self: "" } }) as never;
  test("pending waits; denied and expired are final", () => {
    expect(isSettled({ status: "pending", result: null, links })).toBe(false);
    expect(isSettled({ status: "denied", result: null, links })).toBe(true);
    expect(isSettled({ status: "expired", result: null, links })).toBe(true);
  });
  test("an approved run waits for its execution's final result; an approval that started none is final", () => {
    expect(isSettled({ status: "approved", result: null, links: withExecution })).toBe(false);
    expect(isSettled({ status: "approved", result: result("running"), links: withExecution })).toBe(false);
    expect(isSettled({ status: "approved", result: result("failed"), links: withExecution })).toBe(true);
    expect(isSettled({ status: "approved", result: null, links })).toBe(true);
    expect(isFinalResult(result("queued"))).toBe(false);
    expect(isFinalResult(result("succeeded"))).toBe(true);
    expect(isFinalResult(null)).toBe(false);
  });
});

describe("how a request reads", () => {
  const capability = { slug: "crm-sync", name: "CRM sync", version: "2.0.0", action: "push" };
  const request = { permissions: [], domains: [] };
  test("one title per kind", () => {
    expect(approvalTitle({ kind: "invoke", capability, request })).toBe("crm-sync.push");
    expect(approvalTitle({ kind: "install", capability, request })).toBe("Install crm-sync 2.0.0");
    expect(approvalTitle({ kind: "upgrade", capability, request: { ...request, fromVersion: "1.4.0" } })).toBe("Upgrade crm-sync 1.4.0 → 2.0.0");
    expect(approvalTitle({ kind: "publish", capability, request: { ...request, visibility: "public" } })).toBe("Publish crm-sync 2.0.0 (public)");
    expect(approvalTitle({ kind: "invoke", capability: null, request })).toBe("Run");
  });
  test("security levels keep the colours of the risks they map from; approvers read as people", () => {
    expect(securityLevelMeta("SAFE").tone).toBe("success");
    expect(securityLevelMeta("RESTRICTED").tone).toBe("danger");
    expect(securityLevelMeta("DANGEROUS").tone).toBe("security");
    expect(securityLevelMeta("UNKNOWN").tone).toBe("neutral");
    expect(approverLabel("admin")).toBe("an administrator");
  });
});
