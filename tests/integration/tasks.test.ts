// Task materialization through the policy gate, via the real routes and the real decision:
// "Make a task" waits for an approval by default (202, nothing made), an approval makes the
// task from the pinned snippet version with TASK_MATERIALIZED_FROM_SNIPPET then
// SNIPPET_USED_IN_TASK in the snippet's audit trail; a denial makes nothing; a snippet saved
// or deleted meanwhile is refused; an org allow rule answers 201 at once and a deny rule 403
// with the decision evented; members cannot use others' snippets; the kill switch does not
// apply (the capability writes nothing external).
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { newId } from "../../lib/ids";
import { setKillSwitch } from "../../lib/policy/kill-switch";
import { saveRuleSet } from "../../lib/policy/rule-store";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { call, makeUser, useAppDatabase } from "./helpers/app";
import { asUser } from "./helpers/registry-factory";

type Json = Record<string, any>;
type User = Awaited<ReturnType<typeof makeUser>>;
type Handler = Parameters<typeof call>[0];

let t: TestDatabase;
let member: User;
let otherMember: User;
let admin: User;
let routes: {
  tasks: { GET: Handler; POST: Handler };
  task: { GET: Handler };
  decide: { POST: Handler };
  /** helper E's audit route, when it is in the tree. */
  audit: { GET: Handler } | null;
};

const SYSTEM = { type: "system" as const, id: null };

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  const auditFile = path.join(import.meta.dirname, "../../app/api/snippets/[id]/audit/route.ts");
  routes = {
    tasks: await import("../../app/api/snippets/[id]/tasks/route"),
    task: await import("../../app/api/tasks/[id]/route"),
    decide: await import("../../app/api/approvals/[id]/decide/route"),
    audit: existsSync(auditFile) ? ((await import(/* @vite-ignore */ auditFile)) as { GET: Handler }) : null,
  };
  member = await makeUser(t);
  otherMember = await makeUser(t);
  admin = await makeUser(t, "admin");
});
afterAll(() => t.drop());

async function body(res: Response, status: number): Promise<Json> {
  const b = await res.json();
  expect(res.status, JSON.stringify(b)).toBe(status);
  return b;
}

async function makeSnippet(owner: User, over: { code?: string; version?: number; deletedAt?: Date } = {}) {
  const id = newId("snp");
  await t.db.snippet.create({
    data: { id, title: `Spinning cube ${id}`, language: "javascript", code: over.code ?? "const scene = new THREE.Scene();", tags: ["three"], ownerId: owner.id, version: over.version ?? 1, deletedAt: over.deletedAt },
  });
  return id;
}

const makeTask = async (as: User, snippetId: string, json: unknown = {}) =>
  call(routes.tasks.POST, { method: "POST", path: `/api/snippets/${snippetId}/tasks`, headers: await asUser(as), json, params: { id: snippetId } });
const listTasks = async (as: User, snippetId: string) => call(routes.tasks.GET, { path: `/api/snippets/${snippetId}/tasks`, headers: await asUser(as), params: { id: snippetId } });
const getTask = async (as: User, taskId: string) => call(routes.task.GET, { path: `/api/tasks/${taskId}`, headers: await asUser(as), params: { id: taskId } });
const decide = async (approvalId: string, decision: "approve" | "deny", by: User = admin, comment?: string) =>
  body(await call(routes.decide.POST, { method: "POST", path: `/api/approvals/${approvalId}/decide`, headers: await asUser(by), json: { decision, comment }, params: { id: approvalId } }), 200);

/** The snippet's audit trail: E's route when present, else the events whose data.snippetId is the snippet (the same query). */
async function auditTypes(as: User, snippetId: string): Promise<{ type: string; taskId: string | null; data: Json }[]> {
  if (routes.audit) {
    const b = await body(await call(routes.audit.GET, { path: `/api/snippets/${snippetId}/audit`, headers: await asUser(as), params: { id: snippetId } }), 200);
    return b.items.map((i: Json) => ({ type: i.type, taskId: i.taskId ?? i.payload?.taskId ?? null, data: i.payload ?? {} }));
  }
  const rows = await t.db.$queryRawUnsafe<{ type: string; data: Json }[]>(`SELECT type, data FROM events WHERE data->>'snippetId' = $1 ORDER BY seq`, snippetId);
  return rows.map((r) => ({ type: r.type, taskId: (r.data.taskId as string) ?? null, data: r.data }));
}

const policyEvents = (correlationId: string) =>
  t.db.$queryRawUnsafe<{ data: Json; subject_type: string | null; subject_id: string | null }[]>(
    `SELECT data, subject_type, subject_id FROM events WHERE type = 'policy.evaluated' AND correlation_id = $1 ORDER BY seq`,
    correlationId,
  );

const setRules = (rules: unknown[]) => saveRuleSet(t.db, { rules, actor: SYSTEM });

describe("require_approval (the default: task materialization is high risk)", () => {
  test("202 with the approval and nothing made; the approval makes the task from the pinned version, with both events in the snippet's audit order", async () => {
    const snippetId = await makeSnippet(member, { version: 3 });
    const res = await makeTask(member, snippetId, { title: "Render the cube nightly", autoRun: true });
    const pending = await body(res, 202);
    expect(pending).toMatchObject({ approvalId: expect.stringMatching(/^apr_/), status: "pending", securityLevel: "RESTRICTED", correlationId: expect.any(String), expiresAt: expect.any(String) });
    expect(pending.links).toMatchObject({ self: `/api/approvals/${pending.approvalId}`, html: `/approvals?id=${pending.approvalId}` });
    expect(res.headers.get("location")).toBe(pending.links.self);
    expect(pending.reasons.join(" ")).toMatch(/task materialization is at least high risk/);
    expect(await t.db.task.count({ where: { snippetId } })).toBe(0);

    const a = await t.db.approval.findUniqueOrThrow({ where: { id: pending.approvalId } });
    expect(a).toMatchObject({ kind: "materialize_task", status: "pending", requesterUserId: member.id, capabilitySlug: "task_materialization", securityLevel: "RESTRICTED", risk: "high" });
    expect(a.payload).toMatchObject({ snippetId, snippetVersion: 3, title: "Render the cube nightly", autoRun: true, codeSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await policyEvents(pending.correlationId)).map((e) => [e.data.what, e.data.decision, e.data.reasonCode])).toEqual([["materialize_task", "require_approval", "default_restricted"]]);

    const view = await decide(pending.approvalId, "approve", admin, "fine");
    expect(view).toMatchObject({ status: "approved", kind: "materialize_task", outcome: { ok: true, taskId: expect.stringMatching(/^tsk_/), snippetVersion: 3 } });
    const taskId = view.outcome.taskId as string;
    const task = await t.db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task).toMatchObject({ snippetId, snippetVersion: 3, title: "Render the cube nightly", autoRun: true, createdBy: member.id, approvalId: pending.approvalId, status: "materialized" });

    // The requester reads it; the list shows it.
    expect(await body(await getTask(member, taskId), 200)).toMatchObject({ id: taskId, snippetVersion: 3, approvalId: pending.approvalId, links: { self: `/api/tasks/${taskId}` } });
    expect((await body(await listTasks(member, snippetId), 200)).items.map((i: Json) => i.id)).toEqual([taskId]);

    // Audit trail: materialized, then used, both naming the task; the first carries the approval.
    const trail = (await auditTypes(member, snippetId)).filter((e) => e.taskId === taskId);
    expect(trail.map((e) => e.type)).toEqual(["TASK_MATERIALIZED_FROM_SNIPPET", "SNIPPET_USED_IN_TASK"]);
    expect(trail[0]!.data).toMatchObject({ snippetId, snippetVersion: 3, autoRun: true, approvalId: pending.approvalId });
    const rows = await t.db.event.findMany({ where: { subjectId: taskId }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.type, r.streamType, r.streamId, r.actorId, r.correlationId])).toEqual([
      ["TASK_MATERIALIZED_FROM_SNIPPET", "snippet", snippetId, member.id, pending.correlationId],
      ["SNIPPET_USED_IN_TASK", "snippet", snippetId, member.id, pending.correlationId],
    ]);
    // The approval re-asked the gate with approved: true, and that allow is evented too.
    expect((await policyEvents(pending.correlationId)).map((e) => e.data.decision)).toEqual(["require_approval", "allow"]);
  });

  test("two admins approving at the same moment make one task: the other decision gets 409", async () => {
    const otherAdmin = await makeUser(t, "admin");
    const snippetId = await makeSnippet(member);
    const pending = await body(await makeTask(member, snippetId), 202);
    const approve = async (by: User) =>
      call(routes.decide.POST, { method: "POST", path: `/api/approvals/${pending.approvalId}/decide`, headers: await asUser(by), json: { decision: "approve" }, params: { id: pending.approvalId } });
    const [r1, r2] = await Promise.all([approve(admin), approve(otherAdmin)]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    expect(await t.db.task.count({ where: { snippetId } })).toBe(1);
    expect(await t.db.event.count({ where: { type: "TASK_MATERIALIZED_FROM_SNIPPET", streamId: snippetId } })).toBe(1);
  });

  test("a denial makes no task and records no task event", async () => {
    const snippetId = await makeSnippet(member);
    const pending = await body(await makeTask(member, snippetId), 202);
    const view = await decide(pending.approvalId, "deny", admin, "not this one");
    expect(view).toMatchObject({ status: "denied", outcome: null });
    expect(await t.db.task.count({ where: { snippetId } })).toBe(0);
    expect((await auditTypes(member, snippetId)).map((e) => e.type)).not.toContain("TASK_MATERIALIZED_FROM_SNIPPET");
  });

  test("a snippet saved again after the request is refused (snippet_changed), a deleted one too (snippet_deleted); the decision still commits", async () => {
    const changed = await makeSnippet(member);
    const p1 = await body(await makeTask(member, changed), 202);
    await t.db.snippet.update({ where: { id: changed }, data: { code: "const other = 1;", version: 2 } });
    const v1 = await decide(p1.approvalId, "approve");
    expect(v1).toMatchObject({ status: "approved", outcome: { ok: false, code: "snippet_changed" } });
    expect(v1.outcome.message).toMatch(/version 1 was approved, it is now at 2/);

    const deleted = await makeSnippet(member);
    const p2 = await body(await makeTask(member, deleted), 202);
    await t.db.snippet.update({ where: { id: deleted }, data: { deletedAt: new Date() } });
    expect(await decide(p2.approvalId, "approve")).toMatchObject({ status: "approved", outcome: { ok: false, code: "snippet_deleted" } });

    expect(await t.db.task.count({ where: { snippetId: { in: [changed, deleted] } } })).toBe(0);
    expect(await t.db.event.count({ where: { type: { in: ["TASK_MATERIALIZED_FROM_SNIPPET", "SNIPPET_USED_IN_TASK"] }, streamId: { in: [changed, deleted] } } })).toBe(0);
  });

  test("the kill switch does not apply: the capability asks no external-write permission, so it still waits for an approval and is made once approved", async () => {
    await setKillSwitch(t.db, { on: true, reason: "incident drill", actor: { type: "user", id: admin.id } });
    try {
      const snippetId = await makeSnippet(member);
      const pending = await body(await makeTask(member, snippetId), 202);
      expect((await policyEvents(pending.correlationId))[0]!.data.reasonCode).toBe("default_restricted");
      const view = await decide(pending.approvalId, "approve");
      expect(view.outcome).toMatchObject({ ok: true, taskId: expect.stringMatching(/^tsk_/) });
      expect(await t.db.task.count({ where: { snippetId } })).toBe(1);
    } finally {
      await setKillSwitch(t.db, { on: false, actor: { type: "user", id: admin.id } });
    }
  });
});

describe("who may make and read tasks", () => {
  test("a member cannot make a task of another member's snippet (404, nothing asked); an admin can", async () => {
    const snippetId = await makeSnippet(member);
    const res = await makeTask(otherMember, snippetId);
    expect(await body(res, 404)).toMatchObject({ status: 404 });
    expect(await t.db.approval.count({ where: { requesterUserId: otherMember.id } })).toBe(0);
    expect(await body(await listTasks(otherMember, snippetId), 404)).toMatchObject({ status: 404 });
    expect(await body(await makeTask(admin, snippetId), 202)).toMatchObject({ status: "pending" });
  });

  test("a deleted snippet cannot be made into a task (404), nor can one that does not exist", async () => {
    const snippetId = await makeSnippet(member, { deletedAt: new Date() });
    await body(await makeTask(member, snippetId), 404);
    await body(await makeTask(member, "snp_doesnotexist"), 404);
    expect(await t.db.approval.count({ where: { kind: "materialize_task", payload: { path: ["snippetId"], equals: snippetId } } })).toBe(0);
  });

  test("a task is readable by its creator, the snippet's owner and admins; another member gets 404", async () => {
    const snippetId = await makeSnippet(member);
    const pending = await body(await makeTask(member, snippetId), 202);
    const taskId = (await decide(pending.approvalId, "approve")).outcome.taskId as string;
    await body(await getTask(member, taskId), 200);
    await body(await getTask(admin, taskId), 200);
    await body(await getTask(otherMember, taskId), 404);
    await body(await getTask(member, "tsk_doesnotexist"), 404);
  });

  test("an invalid body is 422 with paths", async () => {
    const snippetId = await makeSnippet(member);
    const b = await body(await makeTask(member, snippetId, { title: "", autoRun: "yes" }), 422);
    expect(b.errors.map((e: Json) => e.path).sort()).toEqual(["autoRun", "title"]);
  });
});

describe("organisation rules", () => {
  afterEach(() => setRules([]));

  test("an allow rule makes the task at once: 201 { task } with both events, no approval", async () => {
    await setRules([{ id: "tasks-ok", match: { what: "materialize_task" }, effect: "allow" }]);
    const snippetId = await makeSnippet(member, { version: 5 });
    const res = await makeTask(member, snippetId);
    const { task } = await body(res, 201);
    expect(task).toMatchObject({ id: expect.stringMatching(/^tsk_/), snippetId, snippetVersion: 5, approvalId: null, autoRun: false, title: expect.stringMatching(/^Spinning cube/) });
    expect(res.headers.get("location")).toBe(`/api/tasks/${task.id}`);
    expect(await t.db.approval.count({ where: { requesterUserId: member.id, payload: { path: ["snippetId"], equals: snippetId } } })).toBe(0);
    const trail = await auditTypes(member, snippetId);
    expect(trail.filter((e) => e.taskId === task.id).map((e) => e.type)).toEqual(["TASK_MATERIALIZED_FROM_SNIPPET", "SNIPPET_USED_IN_TASK"]);
    const evaluated = await t.db.$queryRawUnsafe<{ data: Json; subject_id: string }[]>(
      `SELECT data, subject_id FROM events WHERE type = 'policy.evaluated' AND subject_id = $1 ORDER BY seq`,
      snippetId,
    );
    expect(evaluated.map((e) => [e.data.decision, e.data.reasonCode, e.data.ruleId])).toEqual([["allow", "org_rule_allow", "tasks-ok"]]);
  });

  test("a deny rule answers 403 policy_denied with the decision evented, and makes nothing", async () => {
    await setRules([{ id: "no-tasks", match: { what: "materialize_task" }, effect: "deny" }]);
    const snippetId = await makeSnippet(member);
    const b = await body(await makeTask(member, snippetId), 403);
    expect(b.detail).toMatch(/policy denies making a task/);
    expect(await t.db.task.count({ where: { snippetId } })).toBe(0);
    expect(await t.db.approval.count({ where: { payload: { path: ["snippetId"], equals: snippetId } } })).toBe(0);
    const evaluated = await t.db.$queryRawUnsafe<{ data: Json }[]>(`SELECT data FROM events WHERE type = 'policy.evaluated' AND subject_id = $1`, snippetId);
    expect(evaluated.map((e) => [e.data.what, e.data.decision, e.data.ruleId])).toEqual([["materialize_task", "deny", "no-tasks"]]);
  });

  test("a deny rule added while an approval waits stops it at approval time (policy_denied outcome, no task)", async () => {
    const snippetId = await makeSnippet(member);
    const pending = await body(await makeTask(member, snippetId), 202);
    await setRules([{ id: "no-tasks", match: { what: "materialize_task" }, effect: "deny" }]);
    expect(await decide(pending.approvalId, "approve")).toMatchObject({ status: "approved", outcome: { ok: false, code: "policy_denied" } });
    expect(await t.db.task.count({ where: { snippetId } })).toBe(0);
  });

  test("with an allow rule the kill switch still does not apply: 201", async () => {
    await setRules([{ id: "tasks-ok", match: { what: "materialize_task" }, effect: "allow" }]);
    await setKillSwitch(t.db, { on: true, reason: "incident drill", actor: { type: "user", id: admin.id } });
    try {
      const snippetId = await makeSnippet(member);
      await body(await makeTask(member, snippetId), 201);
    } finally {
      await setKillSwitch(t.db, { on: false, actor: { type: "user", id: admin.id } });
    }
  });
});
