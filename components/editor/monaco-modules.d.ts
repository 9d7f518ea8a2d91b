// Types for the monaco-editor entry points that ship without declarations: the editor
// worker (run for its side effect) and the per-language registrations.
declare module "monaco-editor/editor/editor.worker.js";
declare module "monaco-editor/languages/definitions/javascript/register.js";
declare module "monaco-editor/languages/definitions/html/register.js";
declare module "monaco-editor/languages/definitions/css/register.js";
