// How busy the machine was while a part ran, and how much of that was someone else:
// the machine is shared, so every figure comes with the CPU share other processes took.
// Linux /proc only; elsewhere the sampler returns undefined.
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

export interface CpuSnapshot {
  at: number;
  /** Busy and steal ticks of the whole machine (all cores). */
  busy: number;
  steal: number;
  total: number;
  /** CPU ticks of this process and all its descendants (including reaped ones). */
  ours: number;
}

export interface CpuShare {
  /** Share of the whole machine (all cores = 100 %) that was busy. */
  machineBusyPct: number;
  /** Share of the whole machine used by this bench's process tree (bench, postgres, server). */
  benchPct: number;
  /** Share used by everything else (other engineers' builds, browsers, …). */
  othersPct: number;
  /** Share the hypervisor gave to other guests (steal). */
  stealPct: number;
}

function processTicks(stat: string): { ppid: number; ticks: number } {
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields after the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
}

export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
    const busy = user + nice + system + irq + softirq;
    const children = new Map<number, number[]>();
    const ticks = new Map<number, number>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const p = processTicks(readFileSync(`/proc/${entry}/stat`, "utf8"));
        const pid = Number(entry);
        ticks.set(pid, p.ticks);
        children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
      } catch {
        // exited meanwhile
      }
    }
    let ours = 0;
    const queue = [process.pid];
    while (queue.length) {
      const pid = queue.shift()!;
      ours += ticks.get(pid) ?? 0;
      queue.push(...(children.get(pid) ?? []));
    }
    return { at: performance.now(), busy, steal, total: busy + idle + iowait + steal, ours };
  } catch {
    return undefined;
  }
}

export function cpuShare(a: CpuSnapshot | undefined, b: CpuSnapshot | undefined): CpuShare | undefined {
  if (!a || !b || b.total <= a.total) return undefined;
  const total = b.total - a.total;
  const busy = b.busy - a.busy;
  const ours = Math.min(busy, Math.max(0, b.ours - a.ours));
  const pct = (x: number) => Math.round((x / total) * 1000) / 10;
  return { machineBusyPct: pct(busy), benchPct: pct(ours), othersPct: pct(busy - ours), stealPct: pct(b.steal - a.steal) };
}

export function describeShare(s: CpuShare | undefined): string {
  if (!s) return "cpu share unknown";
  return `machine ${s.machineBusyPct}% busy (bench ${s.benchPct}%, others ${s.othersPct}%${s.stealPct ? `, steal ${s.stealPct}%` : ""}) of ${os.cpus().length} cores`;
}
