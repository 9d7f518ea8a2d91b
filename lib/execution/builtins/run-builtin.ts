// The built-in capabilities the product ships (lib/registry/builtin-capabilities.ts), run by
// the executor like any other action: code-asset keeps an agent's code as snippets
// (lib/snippets), preview opens sandboxed previews of it (lib/previews). They act as the
// user the execution acts for (the invoker, else the agent's owner), with that user's
// access, and their events carry the execution's correlation id, so a snippet's audit
// trail links back to the run that wrote it. Task materialization from a plan is not built
// (tasks are made from snippets through the approval flow): it answers not_supported.
// Nothing here runs plugin code; no isolate is involved.
import type { Caller } from "../../agents/agent-access";
import type { Db } from "../../db/prisma";
import { AppError } from "../../errors";
import type { ActorType } from "../../events/event-types";
import { createPreview } from "../../previews/create-preview";
import { detectDependencies } from "../../previews/detect-deps";
import { createSnippet } from "../../snippets/create-snippet";
import { deleteSnippet } from "../../snippets/delete-snippet";
import { getSnippet } from "../../snippets/get-snippet";
import { listSnippets } from "../../snippets/list-snippets";
import { CreateSnippetSchema, ListSnippetsQuerySchema, UpdateSnippetSchema } from "../../snippets/snippet-schemas";
import { updateSnippet } from "../../snippets/update-snippet";
import type { ActionOutcome } from "../types";

export interface BuiltinRun {
  slug: string;
  action: string;
  input: Record<string, unknown>;
  agentId: string;
  actor: { type: ActorType; id: string | null };
  correlationId: string;
}

function done(output: unknown, wallMs: number): ActionOutcome {
  return { status: "succeeded", output, logs: [], resources: { wallMs, networkCalls: 0 }, requests: [] };
}

function failed(code: string, message: string, wallMs: number): ActionOutcome {
  return { status: "failed", error: { code, message }, logs: [], resources: { wallMs, networkCalls: 0 }, requests: [] };
}

/** The user a built-in acts for: the invoking user, else the agent's owner. */
async function callerFor(db: Db, run: BuiltinRun): Promise<Caller | null> {
  let userId = run.actor.type === "user" ? run.actor.id : null;
  if (!userId) userId = (await db.agent.findUnique({ where: { id: run.agentId }, select: { ownerId: true } }))?.ownerId ?? null;
  if (!userId) return null;
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true, disabledAt: true } });
  if (!user || user.disabledAt) return null;
  return { userId, role: user.role, actor: run.actor.type === "user" ? run.actor : { type: "user", id: userId }, correlationId: run.correlationId };
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

async function codeAsset(db: Db, caller: Caller, action: string, input: Record<string, unknown>): Promise<unknown> {
  switch (action) {
    case "save_snippet": {
      const body = CreateSnippetSchema.parse({ title: input.title, language: input.language, code: input.code, tags: Array.isArray(input.tags) ? input.tags : [] });
      const s = await createSnippet(db, { caller, input: body, source: "api" });
      return { snippet_id: s.id, version: s.version };
    }
    case "update_snippet": {
      const body = UpdateSnippetSchema.parse({ code: input.code, ...(str(input.title) ? { title: input.title } : {}) });
      const s = await updateSnippet(db, { caller, snippetId: String(input.snippet_id), input: body });
      return { version: s.version };
    }
    case "get_snippet": {
      const s = await getSnippet(db, { caller, snippetId: String(input.snippet_id) });
      return { title: s.title, language: s.language, code: s.code, updated_at: s.updatedAt };
    }
    case "search_snippets": {
      const query = ListSnippetsQuerySchema.parse({ q: input.query, ...(str(input.language) ? { language: input.language } : {}), limit: "20" });
      const r = await listSnippets(db, { caller, query });
      return { results: r.items.map((i) => ({ snippet_id: i.id, title: i.title, language: i.language, version: i.version, tags: i.tags })) };
    }
    case "delete_snippet":
      await deleteSnippet(db, { caller, snippetId: String(input.snippet_id) });
      return { deleted: true };
  }
  throw new AppError("not_found", `code-asset has no action ${action}`);
}

async function preview(db: Db, caller: Caller, action: string, input: Record<string, unknown>): Promise<unknown> {
  const preset = String(input.preset);
  const code = String(input.code);
  if (action === "detect_dependencies") return { dependencies: detectDependencies(preset, code).map((d) => d.id) };
  if (action === "create_preview") {
    // HTML documents are previewed as HTML, anything else as a script.
    const isHtml = /^\s*</.test(code);
    const p = await createPreview(db, { owner: { userId: caller.userId, role: caller.role, actor: caller.actor }, ...(isHtml ? { html: code } : { code }), preset, ...(str(input.title) ? { title: input.title as string } : {}) });
    return { preview_id: p.previewId, url: p.shareUrl, dependencies: p.injectedDeps.map((d) => d.id) };
  }
  throw new AppError("not_found", `preview has no action ${action}`);
}

export async function runBuiltin(db: Db, run: BuiltinRun): Promise<ActionOutcome> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  if (run.slug !== "code-asset" && run.slug !== "preview") {
    return failed("not_supported", `${run.slug} is not available as an agent action yet: make tasks from a snippet (Snippets → Make a task), which asks for approval`, elapsed());
  }
  const caller = await callerFor(db, run);
  if (!caller) return failed("requester_unknown", "the user this execution acts for is gone or disabled", elapsed());
  try {
    const output = run.slug === "code-asset" ? await codeAsset(db, caller, run.action, run.input) : await preview(db, caller, run.action, run.input);
    return done(output, elapsed());
  } catch (err) {
    if (err instanceof AppError) {
      const detail = err.errors?.length ? `: ${err.errors.map((e) => `${e.path} ${e.message}`).join("; ")}` : "";
      return failed(err.code === "validation_failed" ? "invalid_input" : err.code, `${err.message}${detail}`, elapsed());
    }
    if (err && typeof err === "object" && "issues" in err) {
      const issues = (err as { issues: { path: PropertyKey[]; message: string }[] }).issues;
      return failed("invalid_input", issues.map((i) => `${i.path.map(String).join(".") || "input"} ${i.message}`).join("; "), elapsed());
    }
    throw err;
  }
}
