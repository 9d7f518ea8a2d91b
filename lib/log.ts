// Structured one-line logs. Everything logged is redacted first (secret-looking keys,
// known secret values) and CR/LF are escaped so a value cannot forge a log line.
import { redactForLog } from "./events/redact";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const knownSecrets = new Set<string>();

/** Values that must never appear in logs (e.g. decrypted installation secrets). */
export function registerLogSecret(value: string): void {
  if (value.length >= 4) knownSecrets.add(value);
}

function threshold(): number {
  const level = (process.env.LOG_LEVEL ?? "info") as Level | "silent";
  return ORDER[level] ?? ORDER.info;
}

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (ORDER[level] < threshold()) return;
  const entry = redactForLog({ time: new Date().toISOString(), level, msg: message, ...fields }, { secrets: knownSecrets });
  const line = JSON.stringify(entry);
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write("debug", m, f),
  info: (m: string, f?: Record<string, unknown>) => write("info", m, f),
  warn: (m: string, f?: Record<string, unknown>) => write("warn", m, f),
  error: (m: string, f?: Record<string, unknown>) => write("error", m, f),
};
