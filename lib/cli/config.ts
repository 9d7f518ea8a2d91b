// Where the CLI keeps the server URL and API token: $XDG_CONFIG_HOME/capreg/config.json
// (else ~/.config/capreg/config.json), directory 0700 and file 0600, written atomically
// (temp file + rename) so a crash never leaves half a token. CAPREG_URL / CAPREG_TOKEN
// override what is stored. The token is never printed: `describeToken` shows its prefix.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { CliError, EXIT } from "./cli-error";
import type { Env } from "./cli-io";

export const StoredConfigSchema = z.object({
  url: z.url(),
  token: z.string().min(1),
  /** Who the token belongs to, as /api/me said at login (shown by `capreg whoami` offline). */
  email: z.string().optional(),
  savedAt: z.string().optional(),
});
export type StoredConfig = z.infer<typeof StoredConfigSchema>;

export function configDir(env: Env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || os.homedir(), ".config");
  return path.join(base, "capreg");
}

export const configFile = (env: Env) => path.join(configDir(env), "config.json");

export function readStoredConfig(env: Env): StoredConfig | null {
  const file = configFile(env);
  if (!existsSync(file)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new CliError(EXIT.failure, `${file} is not valid JSON`, { hint: "run `capreg logout` and `capreg login` again" });
  }
  const parsed = StoredConfigSchema.safeParse(value);
  if (!parsed.success) throw new CliError(EXIT.failure, `${file} is not a capreg configuration`, { hint: "run `capreg logout` and `capreg login` again" });
  return parsed.data;
}

export function writeStoredConfig(env: Env, config: StoredConfig): string {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // An existing directory keeps its mode under mkdir: tighten it.
  chmodSync(dir, 0o700);
  const file = path.join(dir, "config.json");
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(StoredConfigSchema.parse(config), null, 2) + "\n", { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return file;
}

export function deleteStoredConfig(env: Env): boolean {
  const file = configFile(env);
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}

/** Warns when the stored file is readable by others (someone copied it, or a umask bug). */
export function configPermissionProblem(env: Env): string | null {
  const file = configFile(env);
  if (!existsSync(file) || process.platform === "win32") return null;
  const mode = statSync(file).mode & 0o777;
  return mode & 0o077 ? `${file} is readable by other users (mode ${mode.toString(8)}): run \`chmod 600 ${file}\`` : null;
}

export interface ResolvedServer {
  url: string;
  token: string | null;
  source: { url: "env" | "config"; token: "env" | "config" | "none" };
}

export function normaliseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CliError(EXIT.usage, `${JSON.stringify(raw)} is not a URL`, { hint: "give the server's address, e.g. http://localhost:3000" });
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new CliError(EXIT.usage, `${raw}: only http and https URLs are supported`);
  return u.origin + u.pathname.replace(/\/+$/, "");
}

/** The server and token to use: CAPREG_URL / CAPREG_TOKEN first, then the stored login. */
export function resolveServer(env: Env): ResolvedServer | null {
  const stored = readStoredConfig(env);
  const url = env.CAPREG_URL ? normaliseUrl(env.CAPREG_URL) : stored?.url;
  if (!url) return null;
  const envToken = env.CAPREG_TOKEN?.trim();
  // A stored token belongs to the stored URL only: never send it to another server.
  const storedToken = stored && stored.url === url ? stored.token : null;
  const token = envToken || storedToken || null;
  return { url, token, source: { url: env.CAPREG_URL ? "env" : "config", token: envToken ? "env" : storedToken ? "config" : "none" } };
}

export function requireServer(env: Env): ResolvedServer & { token: string } {
  const server = resolveServer(env);
  if (!server) throw new CliError(EXIT.auth, "not logged in", { hint: "run `capreg login --url http://localhost:3000` (or set CAPREG_URL and CAPREG_TOKEN)" });
  if (!server.token) throw new CliError(EXIT.auth, `no API token for ${server.url}`, { hint: `run \`capreg login --url ${server.url}\` (or set CAPREG_TOKEN)` });
  return server as ResolvedServer & { token: string };
}
