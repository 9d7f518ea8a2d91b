// The starter source of a code capability in the builder: one function per declared action,
// in the module shape the sandbox calls (`export default { actions: { id(input, ctx) } }`,
// see lib/execution/sandbox/bootstrap.ts), typed through the JSDoc `@satisfies` of the .d.ts
// the editor installs (ctx-types.ts), and returning a placeholder for every declared output
// so the starter type-checks and runs as is. Also what the editor types from: the builder's
// actions and configuration as codeTypeDefinitions wants them. Pure and deterministic.
import { CODE_TYPES_NAMESPACE, type CodeTypesManifest } from "./ctx-types";

/** A field of an action as the builder's forms hold it (structural: B's state fits). */
export type BuilderField = { name: string; type: string; required?: boolean; description?: string };

export type CodeTemplateAction = { id: string; inputs: BuilderField[]; outputs: BuilderField[] };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const VALID_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const VALID_FIELD = VALID_ID;

/** A placeholder value (as source text) of a declared type. */
function placeholder(type: string): string {
  switch (type) {
    case "string":
      return '""';
    case "number":
    case "integer":
      return "0";
    case "boolean":
      return "false";
    case "array":
      return "[]";
    case "object":
      return "{}";
    default:
      return "null";
  }
}

const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

/**
 * A valid module for the actions: each action logs its input and returns every declared
 * output with a placeholder of its type. Actions or outputs whose names the registry would
 * refuse are left out (the form shows their errors); an empty list gives an empty module.
 */
export function codeTemplate(actions: CodeTemplateAction[]): string {
  const lines = [
    "// Each action gets its validated input and ctx (config, secrets, log, utils; fetch and kv",
    "// when the capability's permissions allow them). Return a JSON-serialisable object.",
    `export default /** @satisfies {${CODE_TYPES_NAMESPACE}.Module} */ ({`,
    "  actions: {",
  ];
  const seen = new Set<string>();
  for (const a of actions) {
    if (!VALID_ID.test(a.id) || seen.has(a.id)) continue;
    seen.add(a.id);
    lines.push(`    async ${key(a.id)}(input, ctx) {`, `      ctx.log(${JSON.stringify(`${a.id} called with`)}, input);`);
    const outputs = a.outputs.filter((o, i, all) => VALID_FIELD.test(o.name) && all.findIndex((p) => p.name === o.name) === i);
    if (!outputs.length) lines.push("      return {};");
    else {
      lines.push("      return {");
      for (const o of outputs) lines.push(`        ${key(o.name)}: ${placeholder(o.type)},`);
      lines.push("      };");
    }
    lines.push("    },");
  }
  lines.push("  },", "});", "");
  return lines.join("\n");
}

/**
 * What the editor's type definitions are generated from. With the configuration's real
 * types, secrets go to ctx.secrets and the rest to ctx.config; with bare keys (no types),
 * each key is offered, optional, on both.
 */
export function editorTypesManifest(input: {
  actions: CodeTemplateAction[];
  configKeys: string[];
  configuration?: { key: string; type?: string; required?: boolean; description?: string }[];
  permissions?: string[];
}): CodeTypesManifest {
  const fieldOk = (f: BuilderField) => f.name.trim() !== "";
  const configuration = input.configuration
    ? input.configuration.filter((c) => c.key.trim() !== "").map((c) => ({ key: c.key, type: c.type ?? "string", required: c.required ?? false, description: c.description }))
    : input.configKeys.filter((k) => k.trim() !== "").flatMap((k) => [
        { key: k, type: "string", required: false },
        { key: k, type: "secret", required: false },
      ]);
  return {
    actions: input.actions
      .filter((a, i, all) => a.id.trim() !== "" && all.findIndex((b) => b.id === a.id) === i)
      .map((a) => ({
        id: a.id,
        inputs: a.inputs.filter((f, i, all) => fieldOk(f) && all.findIndex((g) => g.name === f.name) === i).map((f) => ({ name: f.name, type: f.type || "string", required: f.required ?? false, description: f.description })),
        outputs: a.outputs.filter((f, i, all) => fieldOk(f) && all.findIndex((g) => g.name === f.name) === i).map((f) => ({ name: f.name, type: f.type || "string", required: f.required ?? false, description: f.description })),
      })),
    configuration,
    permissions: input.permissions ?? [],
  };
}
