// Adds Monaco's JavaScript language service (the TypeScript worker) to the shared local
// Monaco set-up (components/editor/monaco-setup.ts), for the builder's code editor only:
// the snippets page keeps its light, worker-less colouring. Browser-only, imported by a
// component loaded with next/dynamic (ssr: false).
// The shared set-up hands every worker request to the editor worker; requests labelled
// "javascript"/"typescript" now start the TypeScript worker instead.
import { javascriptDefaults, ModuleKind, ScriptTarget } from "monaco-editor/languages/features/typescript/register.js";
import { setupMonaco, type Monaco } from "@/components/editor/monaco-setup";

let configured = false;

export function setupMonacoTs(): { monaco: Monaco; javascriptDefaults: typeof javascriptDefaults } {
  const monaco = setupMonaco();
  if (!configured) {
    const env = window.MonacoEnvironment;
    const fallback = env?.getWorker.bind(env);
    window.MonacoEnvironment = {
      getWorker(workerId: string, label: string) {
        if (label === "javascript" || label === "typescript") {
          return new Worker(new URL("./ts.worker.ts", import.meta.url), { type: "module", name: "monaco-ts-worker" });
        }
        if (!fallback) throw new Error("Monaco is not set up");
        return fallback(workerId, label);
      },
    };
    javascriptDefaults.setCompilerOptions({
      target: ScriptTarget.ESNext,
      module: ModuleKind.ESNext,
      allowJs: true,
      checkJs: true,
      allowNonTsExtensions: true,
      strict: true,
      // Untyped helpers of the author's own are fine; the action signatures are typed.
      noImplicitAny: false,
      noLib: false,
      lib: ["es2022"],
    });
    javascriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, noSuggestionDiagnostics: true });
    javascriptDefaults.setEagerModelSync(true);
    configured = true;
  }
  return { monaco, javascriptDefaults };
}
