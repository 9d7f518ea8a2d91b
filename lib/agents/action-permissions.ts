// How permissions are shown: each requested one explained (describePermissions), and
// which permissions each action of a capability needs, so actions that need a withheld
// permission are shown disabled. The rule, in order:
//  1. an action that declares its own `permissions` needs exactly those;
//  2. otherwise it needs every permission the version requests, except
//     - compute.* (a time budget, not an ability: a withheld level falls back to the
//       lightest budget, the action still runs), and
//     - for declarative and api-connector actions, whose only ability is the HTTP call
//       the manifest spells out: the network method permission the action does not use
//       (a GET action does not need network.http.post; an oauth2 connector's token
//       request is a POST, so all its endpoints need network.http.post).
// Anything we cannot attribute stays needed by every action: withholding it disables
// them, which errs on the side of not promising what will not work. Pure: no I/O.
import { PERMISSIONS, type Permission } from "../registry/permissions";
import type { InstalledManifest } from "./installed-manifest";

export interface ActionView {
  id: string;
  name: string;
  description: string | null;
  /** The permissions this action needs (see the rule above). */
  needs: string[];
  /** Needed but not granted. */
  missingPermissions: string[];
  /** True when a needed permission is withheld: the action cannot be invoked. */
  disabled: boolean;
}

const GET = "network.http.get";
const WRITE = "network.http.post";

function httpMethodOf(manifest: InstalledManifest, action: InstalledManifest["actions"][number]): string | null {
  if (manifest.type === "declarative") return (action.integration ?? manifest.integration)?.method ?? null;
  if (manifest.type === "api-connector") return manifest.endpoints?.find((e) => e.id === action.id)?.method ?? null;
  return null;
}

export function actionNeeds(manifest: InstalledManifest, action: InstalledManifest["actions"][number], requested: readonly string[]): string[] {
  if (action.permissions) return [...new Set(action.permissions)];
  let needs = requested.filter((p) => !p.startsWith("compute."));
  const method = httpMethodOf(manifest, action);
  if (method) {
    const usesWrite = method.toUpperCase() !== "GET" || (manifest.type === "api-connector" && manifest.api?.auth?.type === "oauth2");
    const usesGet = method.toUpperCase() === "GET";
    needs = needs.filter((p) => (p === WRITE ? usesWrite : p === GET ? usesGet : true));
  }
  return needs;
}

export function describeActions(manifest: InstalledManifest, requested: readonly string[], granted: readonly string[]): ActionView[] {
  const has = new Set(granted);
  return manifest.actions.map((a) => {
    const needs = actionNeeds(manifest, a, requested);
    const missingPermissions = needs.filter((p) => !has.has(p));
    return { id: a.id, name: a.name ?? a.id, description: a.description ?? null, needs, missingPermissions, disabled: missingPermissions.length > 0 };
  });
}

/** Requested permissions as consent screens show them: label, plain-language explanation, risk. */
export function describePermissions(names: readonly string[]) {
  return names.map((name) => {
    const info = PERMISSIONS[name as Permission];
    return { name, label: info?.label ?? name, explanation: info?.explanation ?? "unknown permission", risk: info?.risk ?? "high" };
  });
}
