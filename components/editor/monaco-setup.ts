// Loads Monaco from the LOCAL monaco-editor package (never a CDN) and hands it to
// @monaco-editor/react's loader, whose default would inject a <script> from
// cdn.jsdelivr.net. Browser-only: import it from a client component that is not rendered
// on the server (code-editor.tsx loads it with next/dynamic, ssr: false).
// Only the editor core, its features and the three snippet languages are bundled (syntax
// colouring via Monarch); the language services (TypeScript, CSS, HTML workers) are left
// out, so one small worker — the editor worker, bundled here — is all Monaco starts.
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor/editor/editor.api.js";
import "monaco-editor/features/register.all.js";
import "monaco-editor/languages/definitions/javascript/register.js";
import "monaco-editor/languages/definitions/html/register.js";
import "monaco-editor/languages/definitions/css/register.js";

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

let configured = false;

export function setupMonaco(): typeof monaco {
  if (!configured) {
    window.MonacoEnvironment = {
      getWorker: () => new Worker(new URL("./editor.worker.ts", import.meta.url), { type: "module", name: "monaco-editor-worker" }),
    };
    loader.config({ monaco });
    configured = true;
  }
  return monaco;
}

export type Monaco = typeof monaco;
