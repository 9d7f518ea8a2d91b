// Walks folders for capability manifests, the way `capreg discover` needs it: skips
// node_modules, .git and every dot folder, follows a symlinked folder once (by its real
// path, so a link loop ends), and never reads anything but directory listings. Pure of
// policy: what the manifests say is judged by local-capability.ts.
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import { MANIFEST_NAMES } from "./local-capability";

const SKIP = new Set(["node_modules"]);
const NAMES = new Set<string>(MANIFEST_NAMES);

export interface DiscoverOptions {
  /** Folder depth below each root (default 12). */
  maxDepth?: number;
  onSkip?: (dir: string, why: string) => void;
}

/** Every manifest file below the roots, sorted, each listed once (one per folder: yaml before json). */
export function findManifests(roots: string[], options: DiscoverOptions = {}): string[] {
  const maxDepth = options.maxDepth ?? 12;
  const seen = new Set<string>();
  const found: string[] = [];

  const walk = (dir: string, depth: number) => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      options.onSkip?.(dir, (err as NodeJS.ErrnoException).code ?? "unreadable");
      return;
    }
    const manifest = MANIFEST_NAMES.find((n) => entries.some((e) => e.name === n && (e.isFile() || e.isSymbolicLink())));
    if (manifest) found.push(path.join(dir, manifest));
    if (depth >= maxDepth) return;
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (NAMES.has(e.name) || e.name.startsWith(".") || SKIP.has(e.name)) continue;
      const child = path.join(dir, e.name);
      if (e.isDirectory()) walk(child, depth + 1);
      else if (e.isSymbolicLink()) {
        try {
          if (statSync(child).isDirectory()) walk(child, depth + 1);
        } catch {
          options.onSkip?.(child, "broken symlink");
        }
      }
    }
  };

  for (const root of roots) {
    try {
      if (!lstatSync(root).isDirectory() && !statSync(root).isDirectory()) continue;
    } catch {
      options.onSkip?.(root, "no such folder");
      continue;
    }
    walk(root, 0);
  }
  return found.sort();
}
