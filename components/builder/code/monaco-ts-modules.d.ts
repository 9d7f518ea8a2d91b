// Types for the monaco-editor entry point that ships without declarations: the TypeScript
// language worker (run for its side effect).
declare module "monaco-editor/languages/features/typescript/ts.worker.js";
