// Smart dependency injection: which runtime dependencies a preview's code needs. Core
// dependencies always; an optional one when one of its patterns (or an auto-inject rule's
// identifier) appears in the code as a whole identifier; sorted core first, then by
// `order`, then by declaration position, so the result is stable. Pure: no I/O.
import { AppError } from "../errors";
import { findPreset, PRESET_IDS, type RuntimeDependency } from "./presets";

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * True when `identifier` appears in `code` not as part of a longer identifier:
 * "OrbitControls" matches `new THREE.OrbitControls(` but not `MyOrbitControlsX`.
 */
export function usesIdentifier(code: string, identifier: string): boolean {
  if (!identifier) return false;
  return new RegExp(`(?<![A-Za-z0-9_$])${escapeRegExp(identifier)}(?![A-Za-z0-9_$])`).test(code);
}

export function detectDependencies(presetId: string, code: string): RuntimeDependency[] {
  const preset = findPreset(presetId);
  if (!preset) {
    throw new AppError("validation_failed", `unknown preset "${presetId}"`, {
      errors: [{ path: "preset", message: `unknown preset; expected one of ${PRESET_IDS.join(", ")}` }],
    });
  }
  const wanted = new Set<string>();
  for (const dep of preset.dependencies) {
    if (dep.core || dep.patterns.some((p) => usesIdentifier(code, p))) wanted.add(dep.id);
  }
  for (const [identifier, depIds] of Object.entries(preset.autoInjectRules ?? {})) {
    if (usesIdentifier(code, identifier)) for (const id of depIds) wanted.add(id);
  }
  const position = new Map(preset.dependencies.map((d, i) => [d.id, i]));
  return preset.dependencies
    .filter((d) => wanted.has(d.id))
    .sort((a, b) => Number(b.core) - Number(a.core) || a.order - b.order || position.get(a.id)! - position.get(b.id)!);
}
