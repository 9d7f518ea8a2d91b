"use client";
// An editable table of an action's inputs or outputs: name, type, required, description,
// default, with keyboard-reachable buttons to add, move and remove rows. Each control
// carries its manifest path (data-path) so a problem in the list can focus it.
import { ArrowUpIcon, PlusIcon, XIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { emptyField, type BuilderFieldState } from "@/lib/builder/draft/draft-state";
import { VALUE_TYPES } from "@/lib/registry/manifest-schema";
import { errorAt, type Problem } from "./field-errors";

export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return [...items];
  const next = [...items];
  const [it] = next.splice(from, 1);
  next.splice(to, 0, it!);
  return next;
}

export function FieldsTable({ title, kind, fields, basePath, errors, onChange }: { title: string; kind: "input" | "output"; fields: BuilderFieldState[]; basePath: string; errors: Problem[]; onChange: (f: BuilderFieldState[]) => void }) {
  const set = (i: number, patch: Partial<BuilderFieldState>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset className="rounded-lg border border-border">
      <legend className="ml-3 px-1 text-[12.5px] font-semibold text-fg">{title}</legend>
      {fields.length === 0 ? (
        <p className="px-3 py-2 text-[12.5px] text-fg-subtle">No {kind}s yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[720px] text-[12.5px]">
            <thead>
              <tr className="text-left text-fg-muted">
                <th className="px-2 py-1.5 font-medium">Name</th>
                <th className="px-2 py-1.5 font-medium">Type</th>
                <th className="px-2 py-1.5 font-medium">Required</th>
                <th className="px-2 py-1.5 font-medium">Description</th>
                <th className="px-2 py-1.5 font-medium">Default</th>
                <th className="px-2 py-1.5">
                  <span className="sr-only">Row actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {fields.map((f, i) => {
                const p = `${basePath}[${i}]`;
                const label = f.name || `${kind} ${i + 1}`;
                return (
                  <tr key={f.key} className="border-t border-border align-top">
                    <td className="px-2 py-1.5">
                      <Input inputSize="sm" aria-label={`${title}: name of ${label}`} data-path={`${p}.name`} className="font-mono" value={f.name} invalid={Boolean(errorAt(errors, `${p}.name`))} title={errorAt(errors, `${p}.name`)} onChange={(e) => set(i, { name: e.target.value })} />
                    </td>
                    <td className="px-2 py-1.5">
                      <Select selectSize="sm" className="min-w-[6.5rem]" aria-label={`${title}: type of ${label}`} data-path={`${p}.type`} value={f.type} onChange={(e) => set(i, { type: e.target.value as BuilderFieldState["type"] })}>
                        {VALUE_TYPES.map((t) => (
                          <option key={t} value={t}>
                            {t}
                          </option>
                        ))}
                      </Select>
                    </td>
                    <td className="px-2 py-1.5 text-center">
                      <Checkbox aria-label={`${title}: ${label} is required`} checked={f.required} onChange={(e) => set(i, { required: e.target.checked })} />
                    </td>
                    <td className="px-2 py-1.5">
                      <Input inputSize="sm" aria-label={`${title}: description of ${label}`} data-path={`${p}.description`} value={f.description} onChange={(e) => set(i, { description: e.target.value })} />
                    </td>
                    <td className="px-2 py-1.5">
                      <Input inputSize="sm" aria-label={`${title}: default of ${label}`} data-path={`${p}.default`} className="font-mono" value={f.default} invalid={Boolean(errorAt(errors, `${p}.default`))} title={errorAt(errors, `${p}.default`)} onChange={(e) => set(i, { default: e.target.value })} />
                    </td>
                    <td className="px-2 py-1.5 whitespace-nowrap">
                      <Button size="xs" variant="ghost" aria-label={`Move ${label} up`} disabled={i === 0} onClick={() => onChange(moveItem(fields, i, i - 1))} icon={<ArrowUpIcon className="size-3.5" />} />
                      <Button size="xs" variant="ghost" aria-label={`Move ${label} down`} disabled={i === fields.length - 1} onClick={() => onChange(moveItem(fields, i, i + 1))} icon={<ArrowUpIcon className="size-3.5 rotate-180" />} />
                      <Button size="xs" variant="danger-ghost" aria-label={`Remove ${label}`} onClick={() => onChange(fields.filter((_, j) => j !== i))} icon={<XIcon className="size-3.5" />} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {fields.map((f, i) => {
        const msg = errorAt(errors, `${basePath}[${i}]`);
        return msg ? (
          <p key={f.key} className="px-3 text-[12px] text-danger">
            {f.name || `${kind} ${i + 1}`}: {msg}
          </p>
        ) : null;
      })}
      <div className="px-2 py-2">
        <Button size="xs" variant="ghost" icon={<PlusIcon className="size-3.5" />} onClick={() => onChange([...fields, emptyField()])}>
          Add {kind}
        </Button>
      </div>
    </fieldset>
  );
}
