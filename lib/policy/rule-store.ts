// The organisation's policy rules, versioned: every save validates the whole rule set
// (every error with its path, never just the first), inserts a new row with version =
// current + 1 (never updates one), appends `policy.rule_changed` and sends
// pg_notify('capreg_policy_changed', version), all in one transaction. Saves are
// serialised by a transaction-level advisory lock, so two concurrent saves become two
// versions (or one 409 when both named the version they edited) and none is lost.
// `source` always holds YAML, so the editor can show it: the text an admin wrote, or for a
// save from the form / an accepted recommendation the previous text edited in place
// (comments of untouched rules survive) or, failing that, a fresh rendering.
// The highest version is in force (lib/policy/load-policy.ts reads it); this module never
// caches and never decides anything itself.
import { Document, isMap, isNode, isScalar, isSeq, parseDocument, visit, type Node as YamlNode } from "yaml";
import type { Db } from "../db/prisma";
import type { Prisma } from "../generated/prisma/client";
import { AppError, notFound, type FieldError } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { canonicalJson } from "../events/canonical-json";
import { decodeCursor, encodeCursor } from "../registry/cursor";
import { parseRulesYaml, validateRules, type OrgRule } from "./rules";

/** NOTIFY channel; payload: the new version. Instances drop their compiled policy on it. */
export const POLICY_CHANGED_CHANNEL = "capreg_policy_changed";
/** Advisory-lock key of rule saves (distinct from the chain's 7286014419 and claims' 7286014420). */
export const RULES_LOCK_KEY = 7286014421;
/** Ids listed per added / removed / changed in one event, so the event stays far below 64 KB. */
const MAX_EVENT_IDS = 200;

export type RuleSetVia = "yaml" | "form" | "trust";

export interface RuleSetAuthor {
  id: string;
  name: string;
  email: string;
}

export interface RuleSet {
  /** 0 while no rules were ever saved (the defaults by security level apply). */
  version: number;
  rules: OrgRule[];
  /** The YAML stored with this version (null only for version 0). */
  source: string | null;
  /** YAML of the rules, always present: `source`, or a rendering of `rules`. */
  yaml: string;
  comment: string | null;
  createdAt: string | null;
  /** The user id that saved it (null: version 0, or the system). */
  createdBy: string | null;
  author: RuleSetAuthor | null;
}

export interface RuleSetVersionSummary {
  version: number;
  ruleCount: number;
  comment: string | null;
  createdAt: string;
  createdBy: string | null;
  author: RuleSetAuthor | null;
}

type Client = Db | Prisma.TransactionClient;

interface RuleSetRow {
  version: number;
  rules: unknown;
  source: string | null;
  comment: string | null;
  created_by: string | null;
  created_at: Date;
  author_name: string | null;
  author_email: string | null;
}

const EMPTY_YAML = "rules: []\n";

function authorOf(r: { created_by: string | null; author_name: string | null; author_email: string | null }): RuleSetAuthor | null {
  return r.created_by && r.author_name !== null && r.author_email !== null ? { id: r.created_by, name: r.author_name, email: r.author_email } : null;
}

function toRuleSet(r: RuleSetRow): RuleSet {
  const rules = (Array.isArray(r.rules) ? r.rules : []) as OrgRule[];
  return {
    version: r.version,
    rules,
    source: r.source,
    yaml: r.source ?? renderRulesYaml(rules),
    comment: r.comment,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    author: authorOf(r),
  };
}

const NO_RULES: RuleSet = { version: 0, rules: [], source: null, yaml: EMPTY_YAML, comment: null, createdAt: null, createdBy: null, author: null };

async function readRuleSet(db: Client, version: number | null): Promise<RuleSetRow | undefined> {
  const rows = await db.$queryRaw<RuleSetRow[]>`
    SELECT s.version, s.rules, s.source, s.comment, s.created_by, s.created_at, u.name AS author_name, u.email AS author_email
      FROM policy_rule_sets s LEFT JOIN users u ON u.id = s.created_by
     WHERE (${version}::int IS NULL OR s.version = ${version}::int)
     ORDER BY s.version DESC
     LIMIT 1`;
  return rows[0];
}

/** The rules in force: the highest version, or version 0 with no rules. */
export async function getRuleSet(db: Client): Promise<RuleSet> {
  const row = await readRuleSet(db, null);
  return row ? toRuleSet(row) : { ...NO_RULES };
}

/** One saved version (404 when there is none with that number). */
export async function getRuleSetVersion(db: Client, version: number): Promise<RuleSet> {
  const row = Number.isSafeInteger(version) && version > 0 && version <= 2_147_483_647 ? await readRuleSet(db, version) : undefined;
  if (!row) throw notFound(`rules version ${version}`);
  return toRuleSet(row);
}

/** The version in force (0 when none): one index-only lookup, for caches. */
export async function getRulesVersion(db: Pick<Prisma.TransactionClient, "$queryRaw">): Promise<number> {
  const rows = await db.$queryRaw<{ v: number }[]>`SELECT coalesce(max(version), 0)::int AS v FROM policy_rule_sets`;
  return rows[0]?.v ?? 0;
}

const VERSIONS_CURSOR = "policy-rule-versions";

/** Saved versions, newest first, keyset-paginated by version. */
export async function listRuleVersions(db: Client, options: { limit?: number; cursor?: string } = {}): Promise<{ items: RuleSetVersionSummary[]; nextCursor: string | null }> {
  const limit = options.limit ?? 50;
  let before: number | null = null;
  if (options.cursor) {
    const [v] = decodeCursor(VERSIONS_CURSOR, options.cursor, 1);
    if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new AppError("bad_request", "the cursor is not valid", { errors: [{ path: "cursor", message: "not a cursor returned by this list" }] });
    before = v;
  }
  const rows = await db.$queryRaw<(Omit<RuleSetRow, "rules" | "source"> & { rule_count: number })[]>`
    SELECT s.version, jsonb_array_length(s.rules)::int AS rule_count, s.comment, s.created_by, s.created_at, u.name AS author_name, u.email AS author_email
      FROM policy_rule_sets s LEFT JOIN users u ON u.id = s.created_by
     WHERE (${before}::int IS NULL OR s.version < ${before}::int)
     ORDER BY s.version DESC
     LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const items = page.map((r) => ({ version: r.version, ruleCount: r.rule_count, comment: r.comment, createdAt: r.created_at.toISOString(), createdBy: r.created_by, author: authorOf(r) }));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(VERSIONS_CURSOR, [last.version]) : null };
}

export interface SaveRuleSetOptions {
  /** The rules as data (a form, JSON). Give this or `yaml`, not both. */
  rules?: unknown;
  /** The rules document as YAML text (`rules: [...]` or a bare list). */
  yaml?: string;
  comment?: string | null;
  /** Default: "yaml" when `yaml` is given, else "form". */
  via?: RuleSetVia;
  /** The version the caller edited; when another one is in force now: 409. */
  expectedVersion?: number;
  actor: Actor;
  correlationId?: string;
}

/**
 * Validates and saves a new version of the rules (422 with every error's path; 409 when
 * `expectedVersion` is stale). Saving what is already in force (same rules, same text)
 * writes nothing and returns the current version.
 */
export async function saveRuleSet(db: Db, options: SaveRuleSetOptions): Promise<RuleSet> {
  const hasYaml = options.yaml !== undefined;
  const hasRules = options.rules !== undefined;
  if (hasYaml === hasRules) {
    throw new AppError("validation_failed", "send the rules either as `yaml` (text) or as `rules` (a list)", {
      errors: [hasYaml ? { path: "rules", message: "send either `yaml` or `rules`, not both" } : { path: "yaml", message: "send the rules as `yaml` (text) or as `rules` (a list)" }],
    });
  }
  if (hasYaml && typeof options.yaml !== "string") throw new AppError("validation_failed", "the rules are not valid", { errors: [{ path: "yaml", message: "expected text" }] });
  const { rules, errors } = hasYaml ? parseRulesYaml(options.yaml!) : validateRules(options.rules);
  if (errors.length) throw invalidRules(errors);
  const via = options.via ?? (hasYaml ? "yaml" : "form");
  return writeNewVersion(db, options, (current) => {
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) throw staleVersion(options.expectedVersion, current.version);
    return { rules, source: hasYaml ? options.yaml! : null, via };
  });
}

export interface InsertRuleOptions {
  rule: OrgRule;
  /** Insert before the rule with this id; at the top when absent or not found. */
  before?: string | null;
  via?: RuleSetVia;
  comment?: string | null;
  actor: Actor;
  correlationId?: string;
}

/**
 * Inserts one rule (replacing a rule with the same id) before the rule `before`, or at the
 * top, as a new version. Accepting a progressive-trust recommendation goes through here.
 */
export async function insertRule(db: Db, options: InsertRuleOptions): Promise<RuleSet> {
  return writeNewVersion(db, options, (current) => {
    const id = String(options.rule.id).trim();
    const rest = current.rules.filter((r) => r.id !== id);
    const at = options.before ? rest.findIndex((r) => r.id === options.before) : -1;
    const next: unknown[] = [...rest];
    next.splice(at >= 0 ? at : 0, 0, options.rule);
    const { rules, errors } = validateRules(next);
    if (errors.length) throw invalidRules(errors);
    return { rules, source: null, via: options.via ?? "trust" };
  });
}

function invalidRules(errors: FieldError[]): AppError {
  return new AppError("validation_failed", `the rules are not valid: ${errors.length} error${errors.length === 1 ? "" : "s"}`, { errors });
}

function staleVersion(expected: number, current: number): AppError {
  return new AppError("conflict", `the rules changed: you edited version ${expected} but version ${current} is in force now; reload and apply your change again`);
}

interface Current {
  version: number;
  rules: OrgRule[];
  source: string | null;
}

interface NextSet {
  rules: OrgRule[];
  /** The YAML to keep; null: derive it from the previous text (or render it). */
  source: string | null;
  via: RuleSetVia;
}

async function writeNewVersion(db: Db, options: { comment?: string | null; actor: Actor; correlationId?: string }, decide: (current: Current) => NextSet): Promise<RuleSet> {
  const comment = options.comment?.trim() ? options.comment.trim().slice(0, 500) : null;
  // Generous timeout: patching and diffing 2,000 rules under the lock takes a moment.
  const written = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${RULES_LOCK_KEY}::bigint)`;
    const row = await tx.policyRuleSet.findFirst({ orderBy: { version: "desc" }, select: { version: true, rules: true, source: true } });
    const current: Current = row ? { version: row.version, rules: (row.rules ?? []) as OrgRule[], source: row.source } : { version: 0, rules: [], source: null };
    const next = decide(current);
    const sameRules = canonicalJson(next.rules) === canonicalJson(current.rules);
    if (current.version > 0 && sameRules && (next.source === null || next.source === current.source)) return null;
    const source = next.source ?? (current.source !== null ? patchRulesSource(current.source, current.rules, next.rules) : null) ?? renderRulesYaml(next.rules);
    const version = current.version + 1;
    await tx.policyRuleSet.create({ data: { version, rules: next.rules as unknown as Prisma.InputJsonValue, source, comment, createdBy: options.actor.id } });
    const diff = diffRules(current.rules, next.rules);
    await appendEvent(tx, {
      type: "policy.rule_changed",
      data: {
        version,
        previousVersion: current.version > 0 ? current.version : null,
        ruleCount: next.rules.length,
        added: capIds(diff.added),
        removed: capIds(diff.removed),
        changed: capIds(diff.changed),
        via: next.via,
        comment,
      },
      stream: { type: "policy", id: "org" },
      actor: options.actor,
      correlationId: options.correlationId,
    });
    await tx.$queryRaw`SELECT pg_notify(${POLICY_CHANGED_CHANNEL}, ${String(version)})::text AS n`;
    return version;
  }, { timeout: 15_000 });
  return written === null ? getRuleSet(db) : getRuleSetVersion(db, written);
}

function capIds(ids: string[]): string[] {
  return ids.length <= MAX_EVENT_IDS ? ids : [...ids.slice(0, MAX_EVENT_IDS), `(+${ids.length - MAX_EVENT_IDS} more)`];
}

/**
 * Rule ids added, removed and changed between two versions. A rule counts as changed when
 * its content differs or when it moved relative to the other rules (order decides: the
 * first match wins); of a reordering, only the fewest rules that explain it count as moved.
 */
export function diffRules(previous: readonly OrgRule[], next: readonly OrgRule[]): { added: string[]; removed: string[]; changed: string[] } {
  const before = new Map(previous.map((r, i) => [r.id, { index: i, canon: canonicalJson(r) }]));
  const nextIds = new Set(next.map((r) => r.id));
  const added = next.filter((r) => !before.has(r.id)).map((r) => r.id);
  const removed = previous.filter((r) => !nextIds.has(r.id)).map((r) => r.id);
  const kept = next.filter((r) => before.has(r.id));
  const stay = stableIndexes(kept.map((r) => before.get(r.id)!.index));
  const changed = kept.filter((r, i) => !stay.has(i) || before.get(r.id)!.canon !== canonicalJson(r)).map((r) => r.id);
  return { added, removed, changed };
}

/** Positions in `seq` of one longest increasing subsequence (the rules that did not move). */
function stableIndexes(seq: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = prev[i]!) out.add(i);
  return out;
}

// ---- YAML --------------------------------------------------------------------------

/** Match fields that take one value or a list; a single value is written without brackets. */
const ONE_OR_MANY = new Set(["what", "capability", "action", "agent", "risk", "permission", "domain"]);

function plainRule(rule: OrgRule): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rule.match)) {
    if (value === undefined) continue;
    match[key] = Array.isArray(value) && value.length === 1 && ONE_OR_MANY.has(key) ? value[0] : value;
  }
  return {
    id: rule.id,
    ...(rule.description ? { description: rule.description } : {}),
    match,
    effect: rule.effect,
    ...(rule.approver ? { approver: rule.approver } : {}),
  };
}

function ruleNode(doc: Document, rule: OrgRule): YamlNode {
  const node = doc.createNode(plainRule(rule)) as YamlNode;
  // Lists of plain values read best on one line: `risk: [high, critical]`.
  visit(node, {
    Seq(_, seq) {
      if (seq.items.every((i) => isScalar(i))) seq.flow = true;
    },
    Map(_, map) {
      if (map.items.length === 0) map.flow = true;
    },
  });
  return node;
}

/** The rules as a YAML document (`rules:` and one block per rule), readable and re-parseable. */
export function renderRulesYaml(rules: readonly OrgRule[]): string {
  if (rules.length === 0) return EMPTY_YAML;
  const doc = new Document({ rules: [] as unknown[] });
  const seq = doc.get("rules", true);
  if (!isSeq(seq)) throw new Error("unreachable: rules is a list");
  seq.flow = false;
  seq.items = rules.map((r) => ruleNode(doc, r));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * The previous YAML changed to describe `next`: rules whose content did not change keep
 * their nodes (and comments), others are written fresh, in `next`'s order. Null when the
 * previous text does not describe `previous` exactly or the result would not parse back to
 * `next` (the caller then renders the rules from scratch).
 */
export function patchRulesSource(previousSource: string, previous: readonly OrgRule[], next: readonly OrgRule[]): string | null {
  try {
    const check = parseRulesYaml(previousSource);
    if (check.errors.length || canonicalJson(check.rules) !== canonicalJson(previous)) return null;
    const doc = parseDocument(previousSource, { uniqueKeys: true });
    if (doc.errors.length) return null;
    let seq: YamlNode | null | undefined = null;
    if (isSeq(doc.contents)) seq = doc.contents;
    else if (isMap(doc.contents)) seq = doc.contents.get("rules", true) as YamlNode | undefined;
    if (!isSeq(seq) || seq.items.length !== previous.length) return null;
    // Under `rules:`, a comment above the first rule is kept on the list: give it to that rule.
    const first = seq.items[0];
    if (seq !== doc.contents && seq.commentBefore && isNode(first)) {
      first.commentBefore = first.commentBefore ? `${seq.commentBefore}\n${first.commentBefore}` : seq.commentBefore;
      seq.commentBefore = undefined;
    }
    const old = new Map(previous.map((r, i) => [r.id, { canon: canonicalJson(r), node: seq.items[i] }]));
    seq.items = next.map((r) => {
      const o = old.get(r.id);
      return o && o.canon === canonicalJson(r) ? o.node : ruleNode(doc, r);
    });
    if (next.length > 0) seq.flow = false;
    // Keep the document's own style of `{ a: b }` / `[a, b]` for the nodes it already had.
    const text = doc.toString({ lineWidth: 0, flowCollectionPadding: /[[{] +[^\s\]}]/.test(previousSource) });
    const back = parseRulesYaml(text);
    if (back.errors.length || canonicalJson(back.rules) !== canonicalJson(next)) return null;
    return text;
  } catch {
    return null;
  }
}
