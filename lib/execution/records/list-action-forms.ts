// What the agent page's Run panel needs to build a form for each installed action: the
// declared inputs (an api-connector's endpoint inputs count), and the manifest's examples
// to fill it with, keyed by installed version id (versions are immutable, so a form never
// goes stale while the version stays). 404 unless the caller may see the agent.
import { findAgentForCaller, type Caller } from "../../agents/agent-access";
import type { Db } from "../../db/prisma";
import type { Manifest } from "../../registry/manifest-schema";
import { declaredAction } from "../validate-io";

export interface ActionFormField {
  name: string;
  type: string;
  required: boolean;
  description: string | null;
  enum: (string | number)[] | null;
}

export interface ActionForm {
  id: string;
  name: string;
  description: string | null;
  inputs: ActionFormField[];
  examples: { name: string | null; input: Record<string, unknown> }[];
}

/** Version id → the forms of that version's actions. */
export type ActionFormsByVersion = Record<string, ActionForm[]>;

export function actionFormsOf(manifest: Manifest): ActionForm[] {
  const actions = manifest.type === "api-connector" ? manifest.endpoints.map((e) => ({ id: e.id, name: e.name, description: e.description })) : manifest.actions;
  const own = manifest.actions ?? [];
  return actions.map((a) => {
    const declared = declaredAction(manifest, a.id);
    const named = own.find((x) => x.id === a.id);
    return {
      id: a.id,
      name: a.name ?? named?.name ?? a.id,
      description: a.description ?? named?.description ?? null,
      inputs: (declared?.inputs ?? []).map((f) => ({ name: f.name, type: f.type, required: f.required, description: f.description ?? null, enum: f.enum ?? null })),
      examples: (manifest.examples ?? [])
        .filter((ex) => (ex.action ?? actions[0]?.id) === a.id)
        .slice(0, 20)
        .map((ex) => ({ name: ex.name ?? null, input: ex.input ?? {} })),
    };
  });
}

export async function listActionForms(db: Db, options: { caller: Caller; agentId: string }): Promise<ActionFormsByVersion> {
  await findAgentForCaller(db, options);
  const installations = await db.installation.findMany({ where: { agentId: options.agentId }, select: { versionId: true } });
  const versionIds = [...new Set(installations.map((i) => i.versionId))];
  if (!versionIds.length) return {};
  const versions = await db.capabilityVersion.findMany({ where: { id: { in: versionIds } }, select: { id: true, manifest: true } });
  const out: ActionFormsByVersion = {};
  for (const v of versions) {
    try {
      out[v.id] = actionFormsOf(v.manifest as unknown as Manifest);
    } catch {
      // A stored manifest that does not fit: the panel falls back to raw JSON for it.
      out[v.id] = [];
    }
  }
  return out;
}
