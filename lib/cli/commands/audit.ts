// capreg audit tail [--follow] / audit verify: the event log. tail prints the newest events
// and, with --follow, streams new ones over SSE, reconnecting and resuming after the last
// seq it printed (no gap, no duplicate). verify recomputes the hash chain and checks the
// signed checkpoints in this process (see verify-audit.ts for what it still trusts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { CliError, EXIT, usageError } from "../cli-error";
import type { Command } from "../command";
import { compactJson } from "../format";
import { str } from "../parse-args";
import { followEvents, type StreamedEvent } from "../sse-client";
import { verifyAuditLog, type ApiEvent } from "../verify-audit";

function eventLine(e: ApiEvent | StreamedEvent): string {
  const ev = e as ApiEvent;
  const actor = ev.actor ? `${ev.actor.type}${ev.actor.id ? ":" + ev.actor.id : ""}` : "-";
  const subject = ev.subject ? `${ev.subject.type}:${ev.subject.id}` : "-";
  return `#${ev.seq}  ${ev.createdAt}  ${ev.severity?.padEnd(8) ?? ""} ${ev.type}  actor=${actor} subject=${subject}  ${compactJson(ev.data, 300)}`;
}

export const auditTail: Command = {
  name: "audit tail",
  summary: "print the newest events; --follow streams new ones live",
  usage: "capreg audit tail [--type t1,t2] [--limit n] [--follow] [--from <seq>]",
  description: [
    "--follow keeps the stream open (Ctrl-C ends it). If the connection drops or the server restarts, it",
    "reconnects and resumes after the last event printed: no event is shown twice or skipped.",
    "With --json, one JSON event per line (NDJSON).",
  ],
  options: {
    type: { type: "string", valueName: "t1,t2", description: "only these event types" },
    severity: { type: "string", valueName: "s", description: "only these severities (info, warn, error, security)" },
    limit: { type: "string", short: "n", valueName: "n", description: "how many recent events to print first (default 20; 0 with --follow: only new ones)" },
    follow: { type: "boolean", short: "f", description: "keep streaming new events" },
    from: { type: "string", valueName: "seq", description: "start at this sequence number instead of the newest events" },
  },
  positionals: { min: 0, max: 0 },
  examples: ["capreg audit tail", "capreg audit tail --follow --type capability.version_published", "capreg audit tail -f --json | jq .type"],
  async run({ io, out, args, client }) {
    const api = client();
    const filter = { type: str(args.values.type), severity: str(args.values.severity) };
    const limit = str(args.values.limit) !== undefined ? Number(str(args.values.limit)) : 20;
    if (!Number.isInteger(limit) || limit < 0 || limit > 200) throw usageError("--limit: expected 0 to 200");
    const from = str(args.values.from) !== undefined ? Number(str(args.values.from)) : undefined;
    if (from !== undefined && (!Number.isInteger(from) || from < 1)) throw usageError("--from: expected a sequence number ≥ 1");
    let last: number | undefined;
    if (from !== undefined) {
      last = from - 1;
      if (!args.values.follow) {
        const page = (await api.get<{ items: ApiEvent[] }>("/api/events", { query: { ...filter, fromSeq: from, limit: limit || 50 } })).body;
        for (const e of page.items) out.record(e, eventLine(e));
        return EXIT.ok;
      }
    } else if (limit > 0) {
      const page = (await api.get<{ items: ApiEvent[] }>("/api/events", { query: { ...filter, limit } })).body;
      const items = [...page.items].reverse();
      for (const e of items) out.record(e, eventLine(e));
      // Without filters the head is the newest event shown; with them, the newest matching one.
      last = items.length ? items[items.length - 1]!.seq : undefined;
      if (!args.values.follow) return EXIT.ok;
    } else if (!args.values.follow) return EXIT.ok;
    if (last === undefined) {
      // "From now on": the head at this moment, so a reconnect still resumes without a gap.
      const head = (await api.get<{ items: ApiEvent[] }>("/api/events", { query: { limit: 1 } })).body.items[0];
      last = head?.seq ?? 0;
    }
    out.progress(`following the event log after #${last} (Ctrl-C to stop)`);
    await followEvents({
      client: api,
      query: filter,
      afterSeq: last,
      signal: io.signal,
      onEvent: (e) => out.record(e, eventLine(e)),
      onStatus: (text) => out.progress(text),
    });
    return EXIT.ok;
  },
};

export const auditVerify: Command = {
  name: "audit verify",
  summary: "verify the event log's hash chain and signed checkpoints, here on the client",
  usage: "capreg audit verify [--public-key <pem-file>]",
  description: [
    "Fetches every event and recomputes sha256(prevHash ‖ event) for each, then checks every signed checkpoint",
    "(Ed25519) and that it signs the hash of its event. Exit 1 naming the first broken sequence number.",
    "Trusts the server to serve every event (events after the last checkpoint could be withheld unnoticed) and,",
    "unless --public-key pins the key (export it once from GET /api/events/checkpoints), the key it serves.",
  ],
  options: { "public-key": { type: "string", valueName: "pem-file", description: "the checkpoint public key to trust (PEM)" } },
  positionals: { min: 0, max: 0 },
  async run({ io, out, args, client }) {
    const keyFile = str(args.values["public-key"]);
    let pinned: string | undefined;
    if (keyFile) {
      try {
        pinned = readFileSync(path.resolve(io.cwd, keyFile), "utf8");
      } catch (err) {
        throw new CliError(EXIT.notFound, `--public-key: cannot read ${keyFile} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
      }
    }
    const r = await verifyAuditLog(client(), { pinnedPublicKeyPem: pinned, onProgress: (t) => out.progress(t), signal: io.signal });
    out.result(
      r,
      r.ok
        ? [
            `✓ the chain is intact: ${r.checkedEvents} events, head #${r.headSeq} ${r.headHash.slice(0, 16)}…`,
            `✓ ${r.checkpoints.checked} signed checkpoint${r.checkpoints.checked === 1 ? "" : "s"} valid (key ${r.checkpoints.keyId}${r.checkpoints.keyPinned ? ", pinned" : ", as served by the server"})${r.checkpoints.skippedOtherKeys ? `; ${r.checkpoints.skippedOtherKeys} signed by another key not checked` : ""}`,
            `  trusted to the server: ${r.trusts.join("; ")}`,
          ]
        : [`✗ the audit log is broken at #${r.firstBrokenSeq ?? "?"}: ${r.reason}`, `  verified intact up to #${r.headSeq} (${r.checkedEvents} events)`],
    );
    return r.ok ? EXIT.ok : EXIT.failure;
  },
};
