// The task as the API answers it, and the columns it is read from. Pure.
export const TASK_SELECT = {
  id: true,
  snippetId: true,
  snippetVersion: true,
  title: true,
  status: true,
  autoRun: true,
  createdBy: true,
  approvalId: true,
  createdAt: true,
} as const;

export interface TaskRow {
  id: string;
  snippetId: string;
  snippetVersion: number;
  title: string;
  status: string;
  autoRun: boolean;
  createdBy: string | null;
  approvalId: string | null;
  createdAt: Date;
}

export interface TaskView {
  id: string;
  snippetId: string;
  snippetVersion: number;
  title: string;
  status: string;
  autoRun: boolean;
  createdBy: string | null;
  approvalId: string | null;
  createdAt: string;
  links: { self: string; snippet: string; approval: string | null };
}

export function toTaskView(t: TaskRow): TaskView {
  return {
    id: t.id,
    snippetId: t.snippetId,
    snippetVersion: t.snippetVersion,
    title: t.title,
    status: t.status,
    autoRun: t.autoRun,
    createdBy: t.createdBy,
    approvalId: t.approvalId,
    createdAt: t.createdAt.toISOString(),
    links: { self: `/api/tasks/${t.id}`, snippet: `/api/snippets/${t.snippetId}`, approval: t.approvalId ? `/api/approvals/${t.approvalId}` : null },
  };
}
