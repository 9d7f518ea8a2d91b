// The Monaco editor worker, bundled by Next from the local monaco-editor package (started
// by monaco-setup.ts with `new Worker(new URL(...))`), so nothing is fetched from a CDN.
import "monaco-editor/editor/editor.worker.js";
