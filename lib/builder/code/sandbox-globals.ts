// What the sandbox adds to the ES2022 globals, as a .d.ts for the code editor: the sandbox
// has no DOM, no Node and no timers; its bootstrap (lib/execution/sandbox/bootstrap.ts) puts
// only a frozen console on the global object, writing to the same log as ctx.log.
export const SANDBOX_GLOBALS_DTS = `// What the sandbox adds to the ES2022 globals.
/** console.* writes to the same bounded log as ctx.log (at most 1,000 lines / 256 KB). */
declare var console: {
  log(...values: unknown[]): void;
  info(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
  debug(...values: unknown[]): void;
};
`;
