// Error shapes of a sandboxed execution, and mapping a stack back to the plugin's source.

export const SANDBOX_ERROR_CODES = [
  "compile_error", // the module does not parse, or imports something
  "invalid_module", // no `export default { actions: { … } }`
  "unknown_action",
  "plugin_error", // the action (or the module's top level) threw
  "invalid_output", // the returned value cannot be serialised as JSON
  "output_too_large",
  "timed_out",
  "killed_memory",
  "sandbox_error", // the sandbox itself failed
] as const;
export type SandboxErrorCode = (typeof SANDBOX_ERROR_CODES)[number];

export interface SandboxError {
  code: SandboxErrorCode;
  message: string;
  /** 1-based line and column in the plugin's own source, when known. */
  line?: number;
  column?: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The first `file:line:col` of the plugin's file in a stack or an isolated-vm message. */
export function locateInPlugin(text: string, filename: string): { line: number; column: number } | undefined {
  const m = new RegExp(`${escapeRegExp(filename)}:(\\d+):(\\d+)`).exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  return { line: Number(m[1]), column: Number(m[2]) };
}

/** isolated-vm appends " [file:line:col]" to the messages of errors it copies out; drop it. */
export function stripLocationSuffix(message: string, filename: string): string {
  return message.replace(new RegExp(`\\s*\\[${escapeRegExp(filename)}:\\d+:\\d+\\]\\s*$`), "");
}
