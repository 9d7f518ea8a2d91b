// What the executor needs of a published capability version — its manifest, requested
// permissions, slug, declared configuration split into plain keys (with defaults) and
// secret keys — read once per version id and kept: a published version is immutable.
// Bounded (least recently used out), so a long-lived executor does not grow without limit.
import type { Db } from "../../db/prisma";
import { readInstalledManifest, type InstalledManifest } from "../../agents/installed-manifest";
import type { Manifest } from "../../registry/manifest-schema";

export type ConfigValue = string | number | boolean;

export interface LoadedVersion {
  id: string;
  capabilityId: string;
  slug: string;
  version: string;
  type: Manifest["type"];
  manifest: Manifest;
  /** The manifest as installations read it (actions, per-action permissions, methods). */
  installed: InstalledManifest;
  /** Permissions the version requests. */
  permissions: string[];
  /** Declared non-secret configuration keys with their defaults (when any). */
  configKeys: ReadonlySet<string>;
  configDefaults: Readonly<Record<string, ConfigValue>>;
  /** Declared secret keys: only these reach the plugin. */
  secretKeys: ReadonlySet<string>;
}

interface VersionRow {
  id: string;
  capability_id: string;
  slug: string;
  version: string;
  manifest: unknown;
  permissions: string[];
}

export class VersionCache {
  private readonly entries = new Map<string, Promise<LoadedVersion | null>>();

  constructor(
    private readonly db: Db,
    private readonly max = 500,
  ) {}

  /** The version, or null when it does not exist. */
  get(id: string): Promise<LoadedVersion | null> {
    const hit = this.entries.get(id);
    if (hit) {
      // Most recently used last.
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const loading = this.load(id);
    this.entries.set(id, loading);
    // A failed read (database hiccup) or a missing version is not remembered.
    loading.then(
      (v) => {
        if (!v) this.entries.delete(id);
      },
      () => this.entries.delete(id),
    );
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return loading;
  }

  get size(): number {
    return this.entries.size;
  }

  private async load(id: string): Promise<LoadedVersion | null> {
    const [row] = await this.db.$queryRaw<VersionRow[]>`
      SELECT v.id, v.capability_id, c.slug, v.version, v.manifest, v.permissions
      FROM capability_versions v JOIN capabilities c ON c.id = v.capability_id
      WHERE v.id = ${id}`;
    if (!row) return null;
    const manifest = row.manifest as Manifest;
    const installed = readInstalledManifest(row.manifest);
    const configKeys = new Set<string>();
    const secretKeys = new Set<string>();
    const configDefaults: Record<string, ConfigValue> = {};
    for (const f of installed.configuration) {
      if (f.type === "secret") secretKeys.add(f.key);
      else {
        configKeys.add(f.key);
        if (f.default !== undefined) configDefaults[f.key] = f.default;
      }
    }
    return {
      id: row.id,
      capabilityId: row.capability_id,
      slug: row.slug,
      version: row.version,
      type: manifest.type,
      manifest,
      installed,
      permissions: row.permissions,
      configKeys,
      configDefaults,
      secretKeys,
    };
  }
}
