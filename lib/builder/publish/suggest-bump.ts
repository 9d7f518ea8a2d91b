// The version bump the publish dialog suggests, from what changed against the latest
// published manifest: a removed action, input or output, a new required input or a changed
// type breaks callers → major; a new action, optional input, output, permission or
// configuration key → minor; anything else → patch. Each reason is said in words. Pure.
import semver from "semver";

export type Bump = "major" | "minor" | "patch";

/** What the comparison reads; a Manifest fits, so does the marketplace's detail projection. */
export interface BumpShape {
  actions: { id: string; inputs: { name: string; type: string; required?: boolean }[]; outputs: { name: string; type: string }[] }[];
  permissions: readonly string[];
  configuration: { key: string; required?: boolean }[];
}

export interface BumpSuggestion {
  bump: Bump;
  /** The latest version bumped; `1.0.0`-style input only (prereleases are cleaned). */
  version: string;
  reasons: { bump: Bump; message: string }[];
}

const RANK: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };

export function compareShapes(previous: BumpShape, next: BumpShape): { bump: Bump; reasons: { bump: Bump; message: string }[] } {
  const reasons: { bump: Bump; message: string }[] = [];
  const say = (bump: Bump, message: string) => reasons.push({ bump, message });
  const before = new Map(previous.actions.map((a) => [a.id, a]));
  const after = new Map(next.actions.map((a) => [a.id, a]));
  for (const id of before.keys()) if (!after.has(id)) say("major", `action ${id} removed`);
  for (const [id, a] of after) {
    const old = before.get(id);
    if (!old) {
      say("minor", `action ${id} added`);
      continue;
    }
    const oldIn = new Map(old.inputs.map((f) => [f.name, f]));
    const newIn = new Map(a.inputs.map((f) => [f.name, f]));
    for (const name of oldIn.keys()) if (!newIn.has(name)) say("major", `input ${id}.${name} removed`);
    for (const [name, f] of newIn) {
      const o = oldIn.get(name);
      if (!o) say(f.required ? "major" : "minor", `${f.required ? "required" : "optional"} input ${id}.${name} added`);
      else {
        if (o.type !== f.type) say("major", `input ${id}.${name} changed type ${o.type} → ${f.type}`);
        if (!o.required && f.required) say("major", `input ${id}.${name} became required`);
      }
    }
    const oldOut = new Map(old.outputs.map((f) => [f.name, f]));
    const newOut = new Map(a.outputs.map((f) => [f.name, f]));
    for (const name of oldOut.keys()) if (!newOut.has(name)) say("major", `output ${id}.${name} removed`);
    for (const [name, f] of newOut) {
      const o = oldOut.get(name);
      if (!o) say("minor", `output ${id}.${name} added`);
      else if (o.type !== f.type) say("major", `output ${id}.${name} changed type ${o.type} → ${f.type}`);
    }
  }
  const oldPerms = new Set(previous.permissions);
  for (const p of next.permissions) if (!oldPerms.has(p)) say("minor", `permission ${p} added`);
  const oldConfig = new Map(previous.configuration.map((c) => [c.key, c]));
  for (const c of next.configuration) if (!oldConfig.has(c.key)) say("minor", `configuration ${c.key} added${c.required ? " (required)" : ""}`);
  const bump = reasons.reduce<Bump>((acc, r) => (RANK[r.bump] > RANK[acc] ? r.bump : acc), "patch");
  return { bump, reasons };
}

/** The suggestion against the latest published version; null latest: the first version as typed (or 1.0.0). */
export function suggestBump(latest: { version: string; shape: BumpShape } | null, next: BumpShape, typedVersion?: string): BumpSuggestion {
  if (!latest) {
    const v = typedVersion && semver.valid(typedVersion) ? typedVersion : "1.0.0";
    return { bump: "minor", version: v, reasons: [{ bump: "minor", message: "first version" }] };
  }
  const { bump, reasons } = compareShapes(latest.shape, next);
  const base = semver.valid(semver.coerce(latest.version)) ?? "0.0.0";
  const version = semver.inc(base, bump) ?? base;
  return { bump, version, reasons: reasons.length ? reasons : [{ bump: "patch", message: "no change to actions, inputs, outputs, permissions or configuration" }] };
}
