// capreg agents list|create, install, upgrade, uninstall, invoke, approvals list|approve|deny:
// the operator's side, over the agents, invoke and approvals APIs. Secrets come from files
// or stdin (never argv unless --allow-argv-secrets); when the policy asks a person first,
// the command prints the approval link and (with --wait) waits for the decision.
import { setTimeout as delay } from "node:timers/promises";
import type { ApiClient } from "../api-client";
import { CliError, EXIT, usageError } from "../cli-error";
import type { Output } from "../cli-io";
import type { Command } from "../command";
import { prettyJson, table } from "../format";
import { readJsonArg } from "../input-arg";
import { parseKeyValues, parseList, str } from "../parse-args";
import { readAllStdin, readSecretArgs } from "../secret-args";
import { waitForApproval, type ApprovalView } from "../wait-approval";

interface Agent {
  id: string;
  name: string;
  description: string;
  installationCount: number;
  createdAt: string;
}

interface Installation {
  id: string;
  capability: { slug: string; name: string };
  version: { version: string };
  enabled: boolean;
  grantedPermissions: string[];
  withheldPermissions: string[];
  requestedPermissions: string[];
  latestVersion: string | null;
  upgradeAvailable: boolean;
  needsConsent: boolean;
}

interface PendingApproval {
  approvalId: string;
  status: "pending";
  reasons: string[];
  expiresAt: string;
  links: { self: string; html?: string };
}

export const agentsList: Command = {
  name: "agents list",
  summary: "list your agents",
  usage: "capreg agents list [--all]",
  options: { all: { type: "boolean", description: "admins: everyone's agents" } },
  positionals: { min: 0, max: 0 },
  async run({ out, args, client }) {
    const res = await client().get<{ items: Agent[] }>("/api/agents", { query: { all: args.values.all ? "true" : undefined, limit: 200 } });
    out.result(
      res.body,
      res.body.items.length ? table(res.body.items.map((a) => [a.id, a.name, `${a.installationCount} installed`]), ["ID", "NAME", "INSTALLATIONS"]) : "No agents yet: `capreg agents create <name>`.",
    );
    return EXIT.ok;
  },
};

export const agentsCreate: Command = {
  name: "agents create",
  summary: "create an agent",
  usage: "capreg agents create <name> [--description <text>]",
  options: { description: { type: "string", short: "d", valueName: "text", description: "what the agent is for" } },
  positionals: { min: 1, max: 1 },
  async run({ out, args, client }) {
    const res = await client().post<Agent>("/api/agents", { name: args.positionals[0], description: str(args.values.description) ?? "" });
    out.result(res.body, [`Created agent ${res.body.id} (${res.body.name}).`, `Install a capability: capreg install <slug> --agent ${res.body.id}`]);
    return EXIT.ok;
  },
};

const secretOptions = {
  secret: { type: "string", multiple: true, valueName: "KEY=@file", description: "a secret from a file (KEY=@path) or stdin (KEY=@-); repeatable" },
  "allow-argv-secrets": { type: "boolean", description: "allow --secret KEY=value (it lands in shell history and ps)" },
} as const;
const waitOption = { wait: { type: "string", valueName: "seconds", description: "wait this long for an approval when the policy asks for one (default 0: print the link and exit 6)" } } as const;

function waitSeconds(v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw usageError(`--wait ${String(v)}: expected seconds`);
  return n;
}

async function findInstallation(api: ApiClient, agentId: string, slug: string): Promise<Installation> {
  const res = await api.get<{ items: Installation[] }>(`/api/agents/${encodeURIComponent(agentId)}/installations`, { query: { limit: 200 } });
  const inst = res.body.items.find((i) => i.capability.slug === slug);
  if (!inst) throw new CliError(EXIT.notFound, `${slug} is not installed on agent ${agentId}`, { hint: `install it: capreg install ${slug} --agent ${agentId}` });
  return inst;
}

/** An answer that waits for an approval: print it, wait when asked, report the decision. */
async function handlePending(api: ApiClient, out: Output, signal: AbortSignal, pending: PendingApproval, wait: number, what: string): Promise<{ code: number; view?: ApprovalView }> {
  const link = api.link(pending.links.html ?? `/approvals?id=${pending.approvalId}`);
  if (!out.json) {
    out.line(`The policy asks for an approval before ${what}: ${pending.reasons.join("; ")}`);
    out.line(`  approval ${pending.approvalId}: ${link}`);
  }
  if (!wait) {
    out.result({ status: "pending_approval", approval: pending, approvalUrl: link }, `Not done yet: re-run with --wait <seconds> or check \`capreg approvals list\`.`);
    return { code: EXIT.pending };
  }
  const view = await waitForApproval(api, pending.approvalId, { timeoutSeconds: wait, out, signal });
  if (view.status === "pending") {
    out.result({ status: "pending_approval", approval: view, approvalUrl: link }, `Still waiting for approval after ${wait} s.`);
    return { code: EXIT.pending, view };
  }
  if (view.status !== "approved") {
    out.result({ status: view.status, approval: view }, `Approval ${view.status}: ${view.reason ?? view.decision?.comment ?? "no reason given"}`);
    return { code: EXIT.failure, view };
  }
  return { code: EXIT.ok, view };
}

export const install: Command = {
  name: "install",
  summary: "install a capability on an agent",
  usage: "capreg install <slug>[@version] --agent <id> [--grant p1,p2|all] [--config k=v] [--secret k=@file] [--wait <s>]",
  description: [
    "Permissions are granted explicitly: --grant lists them (or `all` for every permission the version requests);",
    "without --grant nothing is granted (actions needing a permission will be refused).",
    "Secrets come from files (--secret API_KEY=@key.txt) or stdin (--secret API_KEY=@-), never from argv unless",
    "--allow-argv-secrets. When the policy wants an approval first, prints its link (exit 6, or --wait for it).",
  ],
  options: {
    agent: { type: "string", valueName: "id", description: "the agent (see `capreg agents list`)" },
    grant: { type: "string", multiple: true, valueName: "p1,p2", description: "permissions to grant, or `all`" },
    config: { type: "string", multiple: true, valueName: "k=v", description: "a configuration value; repeatable" },
    ...secretOptions,
    ...waitOption,
  },
  positionals: { min: 1, max: 1 },
  examples: ["capreg install weather-lookup --agent agt_123 --grant all --secret API_KEY=@~/.weather-key"],
  async run({ io, out, args, client }) {
    const agentId = str(args.values.agent);
    if (!agentId) throw usageError("install: --agent <id> is required", "see `capreg agents list`");
    const [slug, version] = args.positionals[0]!.split("@");
    const api = client();
    let grants = parseList(args.values.grant as string[] | undefined);
    if (grants.includes("all")) {
      const d = (await api.get<{ permissions: { name: string }[] }>(`/api/capabilities/${encodeURIComponent(slug!)}`, { query: { version } })).body;
      grants = d.permissions.map((p) => p.name);
    }
    const secrets = await readSecretArgs(args.values.secret as string[] | undefined, { cwd: io.cwd, allowArgv: Boolean(args.values["allow-argv-secrets"]), readStdin: () => readAllStdin(io.stdin) });
    out.progress(`installing ${slug}${version ? "@" + version : ""} on ${agentId}`);
    const res = await api.post<{ installation: Installation } | PendingApproval>(`/api/agents/${encodeURIComponent(agentId)}/installations`, {
      capability: slug,
      ...(version ? { version } : {}),
      grantedPermissions: grants,
      config: parseKeyValues(args.values.config as string[] | undefined, "config"),
      secrets,
    });
    if (res.status === 202) {
      const r = await handlePending(api, out, io.signal, res.body as PendingApproval, waitSeconds(args.values.wait, 0), `installing ${slug}`);
      if (r.code !== EXIT.ok) return r.code;
      const inst = await findInstallation(api, agentId, slug!);
      out.result({ status: "installed", installation: inst }, `Approved and installed ${slug} ${inst.version.version} on ${agentId} (installation ${inst.id}).`);
      return EXIT.ok;
    }
    const inst = (res.body as { installation: Installation }).installation;
    out.result({ status: "installed", ...res.body }, [
      `Installed ${inst.capability.slug} ${inst.version.version} on ${agentId} (installation ${inst.id}).`,
      `  granted: ${inst.grantedPermissions.join(", ") || "none"}`,
      ...(inst.withheldPermissions.length ? [`  withheld: ${inst.withheldPermissions.join(", ")} (grant them with --grant to use the actions that need them)`] : []),
    ]);
    return EXIT.ok;
  },
};

export const upgrade: Command = {
  name: "upgrade",
  summary: "upgrade an installed capability (to its latest or a given version)",
  usage: "capreg upgrade <slug>[@version] --agent <id> [--grant p1,p2] [--wait <s>]",
  description: ["New permissions a version asks for must be granted with --grant; the policy may ask for an approval (see install)."],
  options: {
    agent: { type: "string", valueName: "id", description: "the agent" },
    grant: { type: "string", multiple: true, valueName: "p1,p2", description: "the permissions to grant after the upgrade, or `all`" },
    ...waitOption,
  },
  positionals: { min: 1, max: 1 },
  async run({ io, out, args, client }) {
    const agentId = str(args.values.agent);
    if (!agentId) throw usageError("upgrade: --agent <id> is required");
    const [slug, version] = args.positionals[0]!.split("@");
    const api = client();
    const inst = await findInstallation(api, agentId, slug!);
    const target = version ?? inst.latestVersion;
    if (!target || target === inst.version.version) {
      out.result({ status: "up_to_date", installation: inst }, `${slug} ${inst.version.version} is already the latest version.`);
      return EXIT.ok;
    }
    let grants: string[] | undefined = args.values.grant ? parseList(args.values.grant as string[]) : undefined;
    if (grants?.includes("all")) {
      grants = (await api.get<{ permissions: { name: string }[] }>(`/api/capabilities/${encodeURIComponent(slug!)}`, { query: { version: target } })).body.permissions.map((p) => p.name);
    }
    const res = await api.patch<Record<string, unknown>>(`/api/agents/${encodeURIComponent(agentId)}/installations/${encodeURIComponent(inst.id)}`, {
      upgradeTo: target,
      ...(grants ? { grantedPermissions: grants } : {}),
    });
    if (res.status === 202) {
      const r = await handlePending(api, out, io.signal, res.body as unknown as PendingApproval, waitSeconds(args.values.wait, 0), `upgrading ${slug}`);
      if (r.code !== EXIT.ok) return r.code;
    }
    const after = await findInstallation(api, agentId, slug!);
    if (after.needsConsent && after.version.version === inst.version.version) {
      out.result({ status: "needs_consent", installation: after }, [
        `${slug} ${target} asks for new permissions; the upgrade waits for your consent.`,
        `  re-run with --grant ${[...new Set([...after.grantedPermissions, ...after.requestedPermissions])].join(",")} (or --grant all)`,
      ]);
      return EXIT.failure;
    }
    out.result({ status: "upgraded", installation: after }, `Upgraded ${slug} on ${agentId}: ${inst.version.version} → ${after.version.version}.`);
    return EXIT.ok;
  },
};

export const uninstall: Command = {
  name: "uninstall",
  summary: "uninstall a capability from an agent",
  usage: "capreg uninstall <slug> --agent <id>",
  options: { agent: { type: "string", valueName: "id", description: "the agent" } },
  positionals: { min: 1, max: 1 },
  async run({ out, args, client }) {
    const agentId = str(args.values.agent);
    if (!agentId) throw usageError("uninstall: --agent <id> is required");
    const api = client();
    const inst = await findInstallation(api, agentId, args.positionals[0]!);
    const res = await api.delete(`/api/agents/${encodeURIComponent(agentId)}/installations/${encodeURIComponent(inst.id)}`);
    out.result(res.body, `Uninstalled ${args.positionals[0]} from ${agentId}.`);
    return EXIT.ok;
  },
};

interface Finished {
  executionId: string;
  status: string;
  output: unknown;
  durationMs: number | null;
  correlationId: string;
  error?: { code: string; message: string };
}

export const invoke: Command = {
  name: "invoke",
  summary: "run an installed action of an agent and print the result",
  usage: "capreg invoke <agent> <slug.action> [--input <json|@file|@->] [--wait <s>]",
  description: [
    "When the policy asks a person first, prints the approval link and waits for the decision (default 300 s),",
    "then prints the real result. Exit 0 when the execution succeeded, 1 when it failed or was denied,",
    "6 when the approval was still pending at the end of the wait.",
  ],
  options: {
    input: { type: "string", short: "i", valueName: "json", description: "the action's input (JSON, @file or @-); default {}" },
    wait: { type: "string", valueName: "seconds", description: "how long to wait for an approval or a queued execution (default 300)" },
  },
  positionals: { min: 2, max: 2 },
  examples: ["capreg invoke agt_123 text-stats.stats --input '{\"text\":\"hello world\"}'"],
  async run({ io, out, args, client }) {
    const [agentId, action] = args.positionals as [string, string];
    if (!/^[a-z0-9-]+\.[A-Za-z_][\w-]*$/.test(action)) throw usageError(`${action}: expected <capability-slug>.<action-id>, e.g. text-stats.stats`);
    const input = str(args.values.input) !== undefined ? await readJsonArg(str(args.values.input)!, io) : {};
    const wait = waitSeconds(args.values.wait, 300);
    const api = client();
    out.progress(`invoking ${action} on ${agentId}`);
    const res = await api.post<Finished | PendingApproval | { executionId: string; status: string; links: { self: string } }>(`/api/agents/${encodeURIComponent(agentId)}/invoke`, { action, input });
    let finished: Finished | null = null;
    if (res.status === 202 && "approvalId" in res.body) {
      const r = await handlePending(api, out, io.signal, res.body, wait, `running ${action}`);
      if (r.code !== EXIT.ok) return r.code;
      const result = r.view!.result;
      if (!result) throw new CliError(EXIT.failure, "the approval was granted but no result came back", { hint: `see ${api.link(r.view!.links.html)}` });
      finished = { ...result, correlationId: String(r.view!.correlationId ?? "") };
    } else if (res.status === 202 && "executionId" in res.body) {
      const id = res.body.executionId;
      const until = Date.now() + wait * 1000;
      out.progress(`execution ${id} is ${res.body.status}; waiting`);
      for (;;) {
        const e = (await api.get<Finished & { status: string }>(`/api/executions/${encodeURIComponent(id)}`)).body;
        if (!["queued", "running"].includes(e.status)) {
          finished = e;
          break;
        }
        if (Date.now() > until || io.signal.aborted) {
          out.result({ status: e.status, executionId: id }, `Execution ${id} is still ${e.status}.`);
          return EXIT.pending;
        }
        await delay(500, undefined, { signal: io.signal }).catch(() => undefined);
      }
    } else finished = res.body as Finished;
    const ok = finished.status === "succeeded";
    out.result(finished, [
      `${ok ? "✓" : "✗"} ${action}: ${finished.status}${finished.durationMs !== null && finished.durationMs !== undefined ? ` in ${finished.durationMs} ms` : ""} (execution ${finished.executionId})`,
      ...(finished.error ? [`  error: ${finished.error.code}: ${finished.error.message}`] : []),
      ...(finished.output !== undefined && finished.output !== null ? [prettyJson(finished.output)] : []),
    ]);
    return ok ? EXIT.ok : EXIT.failure;
  },
};

interface ApprovalItem {
  id: string;
  kind: string;
  status: string;
  securityLevel: string;
  agent: { id: string; name: string | null } | null;
  capability: { slug: string; version: string | null; action: string | null } | null;
  requester: { email: string | null };
  createdAt: string;
  links: { html: string };
}

export const approvalsList: Command = {
  name: "approvals list",
  summary: "list approval requests (pending first)",
  usage: "capreg approvals list [--status pending|approved|denied|expired|all]",
  options: { status: { type: "string", valueName: "status", description: "filter (comma-separated; default pending)" } },
  positionals: { min: 0, max: 0 },
  async run({ out, args, client }) {
    const api = client();
    const res = await api.get<{ items: ApprovalItem[]; pendingCount: number }>("/api/approvals", { query: { status: str(args.values.status) ?? "pending", limit: 100 } });
    const items = res.body.items;
    out.result(
      res.body,
      items.length
        ? table(
            items.map((a) => [
              a.id,
              a.status,
              a.kind,
              a.capability ? `${a.capability.slug}${a.capability.action ? "." + a.capability.action : ""}${a.capability.version ? "@" + a.capability.version : ""}` : "-",
              a.agent?.name ?? a.agent?.id ?? "-",
              a.securityLevel,
              a.requester.email ?? "-",
            ]),
            ["ID", "STATUS", "KIND", "WHAT", "AGENT", "LEVEL", "REQUESTER"],
          )
        : "No approvals match.",
    );
    return EXIT.ok;
  },
};

function decideCommand(decision: "approve" | "deny"): Command {
  return {
    name: `approvals ${decision}`,
    summary: decision === "approve" ? "approve a pending request (runs the deferred action once)" : "deny a pending request (the requester sees the comment)",
    usage: `capreg approvals ${decision} <id> [--comment <text>]`,
    options: { comment: { type: "string", short: "c", valueName: "text", description: decision === "deny" ? "the reason the requester sees" : "a note kept with the decision" } },
    positionals: { min: 1, max: 1 },
    async run({ out, args, client }) {
      const id = args.positionals[0]!;
      const res = await client().post<ApprovalView>(`/api/approvals/${encodeURIComponent(id)}/decide`, { decision, ...(str(args.values.comment) ? { comment: str(args.values.comment) } : {}) });
      out.result(res.body, `${decision === "approve" ? "Approved" : "Denied"} ${id} (${res.body.kind}): now ${res.body.status}.`);
      return EXIT.ok;
    },
  };
}

export const approvalsApprove = decideCommand("approve");
export const approvalsDeny = decideCommand("deny");
