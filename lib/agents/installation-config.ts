// Configuration of an installation against its version's `configuration` schema: checks
// values (types, required, unknown keys, secrets kept apart from plain config), applies
// changes, and carries configuration across versions (keep what still fits, drop what
// no longer exists, name what is new). Error messages name keys, never values: a secret
// sent in the wrong place must not be echoed. Pure: no I/O.
import type { FieldError } from "../errors";
import type { InstalledConfigField } from "./installed-manifest";

export type ConfigValue = string | number | boolean;
export type ConfigValues = Record<string, ConfigValue>;

export interface ConfigState {
  config: ConfigValues;
  /** Names of secrets that are stored (values never leave lib/secrets). */
  secretKeys: ReadonlySet<string>;
}

export interface ConfigChange {
  config?: Record<string, ConfigValue | null>;
  secrets?: Record<string, string | null>;
}

export interface AppliedConfig {
  config: ConfigValues;
  secretsToSet: Record<string, string>;
  secretsToClear: string[];
  secretKeys: Set<string>;
  /** Keys whose plain value changed (added, replaced or removed). */
  changedConfigKeys: string[];
  /** Secret keys that were set or cleared. */
  changedSecretKeys: string[];
  errors: FieldError[];
}

export const EMPTY_CONFIG: ConfigState = { config: {}, secretKeys: new Set() };

function fitsType(field: InstalledConfigField, value: unknown): boolean {
  if (field.type === "number") return typeof value === "number" && Number.isFinite(value);
  if (field.type === "boolean") return typeof value === "boolean";
  return typeof value === "string";
}

function isNeeded(field: InstalledConfigField): boolean {
  return field.required && field.default === undefined;
}

/**
 * Applies `change` to `current` under `fields`, then checks that every required field has
 * a value. `prefix` is prepended to error paths (e.g. "dependencyConfig.rates.").
 */
export function applyConfigChange(fields: readonly InstalledConfigField[], current: ConfigState, change: ConfigChange, prefix = ""): AppliedConfig {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const accepted = fields.map((f) => f.key).join(", ") || "none";
  const config: ConfigValues = { ...current.config };
  const secretKeys = new Set(current.secretKeys);
  const out: AppliedConfig = { config, secretsToSet: {}, secretsToClear: [], secretKeys, changedConfigKeys: [], changedSecretKeys: [], errors: [] };

  for (const [key, value] of Object.entries(change.config ?? {})) {
    const path = `${prefix}config.${key}`;
    const field = byKey.get(key);
    if (!field) out.errors.push({ path, message: `unknown configuration key; this version accepts: ${accepted}` });
    else if (field.type === "secret") out.errors.push({ path, message: `${key} is a secret: send it in secrets, not config` });
    else if (value === null) {
      if (key in config) {
        delete config[key];
        out.changedConfigKeys.push(key);
      }
    } else if (!fitsType(field, value)) out.errors.push({ path, message: `expected a ${field.type}` });
    else if (config[key] !== value) {
      config[key] = value;
      out.changedConfigKeys.push(key);
    }
  }

  for (const [key, value] of Object.entries(change.secrets ?? {})) {
    const path = `${prefix}secrets.${key}`;
    const field = byKey.get(key);
    if (!field) out.errors.push({ path, message: `unknown configuration key; this version accepts: ${accepted}` });
    else if (field.type !== "secret") out.errors.push({ path, message: `${key} is not a secret: send it in config` });
    else if (value === null) {
      if (secretKeys.delete(key)) {
        out.secretsToClear.push(key);
        out.changedSecretKeys.push(key);
      }
    } else {
      secretKeys.add(key);
      out.secretsToSet[key] = value;
      out.changedSecretKeys.push(key);
    }
  }

  const reported = new Set(out.errors.map((e) => e.path));
  for (const field of fields) {
    if (!isNeeded(field) || reported.has(`${prefix}${field.type === "secret" ? "secrets" : "config"}.${field.key}`)) continue;
    const present = field.type === "secret" ? secretKeys.has(field.key) : field.key in config;
    if (!present) out.errors.push({ path: `${prefix}${field.type === "secret" ? "secrets" : "config"}.${field.key}`, message: `required: ${field.label ?? field.key}` });
  }
  return out;
}

export interface CarriedConfig extends ConfigState {
  /** Plain keys dropped because the new version does not have them (or changed their type). */
  droppedConfigKeys: string[];
  /** Secrets dropped likewise; their stored values must be deleted. */
  droppedSecretKeys: string[];
  /** Fields the user should be asked for: new in this version (or retyped), or required and without a value. */
  newFields: InstalledConfigField[];
}

/** Keeps the configuration that still fits `to`, drops the rest, names what is new. */
export function carryConfig(from: readonly InstalledConfigField[], to: readonly InstalledConfigField[], current: ConfigState): CarriedConfig {
  const next = new Map(to.map((f) => [f.key, f]));
  const prev = new Map(from.map((f) => [f.key, f]));
  const config: ConfigValues = {};
  const droppedConfigKeys: string[] = [];
  for (const [key, value] of Object.entries(current.config)) {
    const field = next.get(key);
    if (field && field.type !== "secret" && fitsType(field, value)) config[key] = value;
    else droppedConfigKeys.push(key);
  }
  const secretKeys = new Set<string>();
  const droppedSecretKeys: string[] = [];
  for (const key of current.secretKeys) {
    if (next.get(key)?.type === "secret") secretKeys.add(key);
    else droppedSecretKeys.push(key);
  }
  const newFields = to.filter((f) => {
    const before = prev.get(f.key);
    const hasValue = f.type === "secret" ? secretKeys.has(f.key) : f.key in config;
    return !before || before.type !== f.type || (isNeeded(f) && !hasValue);
  });
  return { config, secretKeys, droppedConfigKeys, droppedSecretKeys, newFields };
}
