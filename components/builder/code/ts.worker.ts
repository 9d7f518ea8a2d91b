// The TypeScript language worker for the builder's code editor (completion, hover, syntax and
// type diagnostics, formatting), bundled by Next from the local monaco-editor package and
// started by monaco-ts-setup.ts, so nothing is fetched from a CDN.
import "monaco-editor/languages/features/typescript/ts.worker.js";
