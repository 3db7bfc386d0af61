/**
 * Machine-wide CPU accounting from /proc/stat (Linux), so the bench can tell how much CPU
 * processes OTHER than itself used during a measured window, and wait for a quiet machine
 * before measuring. Elsewhere every reading is `undefined` and the bench simply cannot tell.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface CpuSnapshot {
  /**
   * user + nice + system, in ms summed over all CPUs: the same kinds of time process.cpuUsage()
   * reports for a process, so the two can be subtracted. Interrupt time is left out on both sides
   * (the kernel does not charge it to tasks; loopback networking lands there).
   */
  busyMs: number;
  /** Time the hypervisor ran something else on our vCPUs, in ms summed over all CPUs. */
  stealMs: number;
  at: number;
}

let tickMs: number | undefined;

function clockTickMs(): number {
  if (tickMs === undefined) {
    let hz = 100;
    try {
      const reported = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
      if (Number.isFinite(reported) && reported > 0) hz = reported;
    } catch {
      // getconf missing: 100 Hz is what Linux reports to user space on every common architecture
    }
    tickMs = 1000 / hz;
  }
  return tickMs;
}

export function cpuSnapshot(): CpuSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync("/proc/stat", "utf8");
  } catch {
    return undefined;
  }
  const line = text.split("\n", 1)[0];
  if (line === undefined || !line.startsWith("cpu ")) return undefined;
  const [user = 0, nice = 0, system = 0, , , , , steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const ms = clockTickMs();
  return { busyMs: (user + nice + system) * ms, stealMs: steal * ms, at: performance.now() };
}

export interface MachineWindow {
  /** All CPU work on the machine, in cores (2 = both vCPUs fully busy on a 2-vCPU box). */
  busyCores: number;
  stealCores: number;
}

export function machineWindow(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): MachineWindow | undefined {
  if (before === undefined || after === undefined) return undefined;
  const elapsed = after.at - before.at;
  if (elapsed <= 0) return undefined;
  return { busyCores: (after.busyMs - before.busyMs) / elapsed, stealCores: (after.stealMs - before.stealMs) / elapsed };
}

/**
 * Waits (in `sampleMs` steps, at most `maxWaitMs`) until the machine as a whole uses less than
 * `maxBusyCores`; the bench calls it while its own processes are idle, so what it sees is others'
 * work. Returns how long it waited and whether the machine was quiet at the end.
 */
export async function waitForQuietMachine(maxBusyCores: number, maxWaitMs: number, sampleMs = 300): Promise<{ waitedMs: number; quiet: boolean | undefined }> {
  const started = performance.now();
  for (;;) {
    const before = cpuSnapshot();
    await new Promise((resolve) => setTimeout(resolve, sampleMs));
    const window = machineWindow(before, cpuSnapshot());
    if (window === undefined) return { waitedMs: performance.now() - started, quiet: undefined };
    if (window.busyCores < maxBusyCores) return { waitedMs: performance.now() - started, quiet: true };
    if (performance.now() - started >= maxWaitMs) return { waitedMs: performance.now() - started, quiet: false };
  }
}
