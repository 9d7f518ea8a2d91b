// Where capreg keeps its login: XDG_CONFIG_HOME or ~/.config, directory 0700, file 0600
// (tightened even when they existed with looser modes), env overrides, and a stored token
// that is never sent to another server than the one it was stored for.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { EXIT } from "@/lib/cli/cli-error";
import { configDir, configPermissionProblem, deleteStoredConfig, normaliseUrl, readStoredConfig, requireServer, resolveServer, writeStoredConfig } from "@/lib/cli/config";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), "cli-config-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("config location and permissions", () => {
  test("XDG_CONFIG_HOME/capreg, else ~/.config/capreg (a relative XDG_CONFIG_HOME is ignored, as the spec says)", () => {
    expect(configDir({ XDG_CONFIG_HOME: "/x/cfg", HOME: "/home/u" })).toBe("/x/cfg/capreg");
    expect(configDir({ HOME: "/home/u" })).toBe("/home/u/.config/capreg");
    expect(configDir({ XDG_CONFIG_HOME: "rel", HOME: "/home/u" })).toBe("/home/u/.config/capreg");
  });

  test("writes the file 0600 in a 0700 directory, tightening ones that existed with looser modes", () => {
    const home = tmp();
    const env = { XDG_CONFIG_HOME: home };
    mkdirSync(path.join(home, "capreg"), { mode: 0o755 });
    chmodSync(path.join(home, "capreg"), 0o755);
    writeFileSync(path.join(home, "capreg", "config.json"), "{}", { mode: 0o644 });
    const file = writeStoredConfig(env, { url: "http://localhost:3000", token: "crg_secret" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ url: "http://localhost:3000", token: "crg_secret" });
    expect(configPermissionProblem(env)).toBeNull();
    chmodSync(file, 0o644);
    expect(configPermissionProblem(env)).toMatch(/readable by other users[\s\S]*chmod 600/);
    expect(deleteStoredConfig(env)).toBe(true);
    expect(readStoredConfig(env)).toBeNull();
    expect(deleteStoredConfig(env)).toBe(false);
  });

  test("a corrupt file is an error that says how to recover", () => {
    const home = tmp();
    mkdirSync(path.join(home, "capreg"));
    writeFileSync(path.join(home, "capreg", "config.json"), "{not json");
    expect(() => readStoredConfig({ XDG_CONFIG_HOME: home })).toThrow(/not valid JSON/);
  });
});

describe("resolveServer", () => {
  test("CAPREG_URL and CAPREG_TOKEN override the stored login", () => {
    const home = tmp();
    writeStoredConfig({ XDG_CONFIG_HOME: home }, { url: "http://stored:3000", token: "crg_stored" });
    expect(resolveServer({ XDG_CONFIG_HOME: home })).toMatchObject({ url: "http://stored:3000", token: "crg_stored", source: { url: "config", token: "config" } });
    expect(resolveServer({ XDG_CONFIG_HOME: home, CAPREG_TOKEN: "crg_env" })).toMatchObject({ url: "http://stored:3000", token: "crg_env", source: { token: "env" } });
    expect(resolveServer({ XDG_CONFIG_HOME: home, CAPREG_URL: "http://stored:3000/", CAPREG_TOKEN: "crg_env" })).toMatchObject({ url: "http://stored:3000", token: "crg_env" });
  });

  test("the stored token is never handed to another server", () => {
    const home = tmp();
    writeStoredConfig({ XDG_CONFIG_HOME: home }, { url: "http://stored:3000", token: "crg_stored" });
    const other = resolveServer({ XDG_CONFIG_HOME: home, CAPREG_URL: "http://elsewhere:4000" });
    expect(other).toMatchObject({ url: "http://elsewhere:4000", token: null });
    expect(() => requireServer({ XDG_CONFIG_HOME: home, CAPREG_URL: "http://elsewhere:4000" })).toThrow(expect.objectContaining({ exitCode: EXIT.auth }));
  });

  test("not logged in is an auth error with the command to run", () => {
    const home = tmp();
    expect(resolveServer({ XDG_CONFIG_HOME: home })).toBeNull();
    expect(() => requireServer({ XDG_CONFIG_HOME: home })).toThrow(expect.objectContaining({ exitCode: EXIT.auth, hint: expect.stringContaining("capreg login --url") }));
  });

  test("URLs are normalised; other schemes and non-URLs are usage errors", () => {
    expect(normaliseUrl("http://localhost:3000/")).toBe("http://localhost:3000");
    expect(normaliseUrl("https://reg.example.com/base/")).toBe("https://reg.example.com/base");
    expect(() => normaliseUrl("ftp://x")).toThrow(expect.objectContaining({ exitCode: EXIT.usage }));
    expect(() => normaliseUrl("localhost:3000x")).toThrow();
  });
});
