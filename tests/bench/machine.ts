// The machine the figures came from, for the report header: cores, memory, load, Node, the
// temp folder's file system, how long an fsync takes there (what synchronous=FULL pays per
// commit, and what can stall a server that commits on its event loop), and how much CPU time
// the hypervisor stole during the run (a shared VM's noise source). Linux /proc where needed;
// elsewhere those figures read "unknown".
import { closeSync, fdatasyncSync, openSync, readFileSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { arch, cpus, freemem, loadavg, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { summarize, ms } from './table';

export function fsType(dir: string): string {
  const names: Record<number, string> = {
    0xef53: 'ext2/3/4',
    0x01021994: 'tmpfs: fsync is free, FULL vs NORMAL means nothing here',
    0x794c7630: 'overlayfs',
    0x58465342: 'xfs',
    0x9123683e: 'btrfs',
  };
  try {
    const type = statfsSync(dir).type;
    return names[type] ?? `fs 0x${type.toString(16)}`;
  } catch {
    return 'unknown fs';
  }
}

/** `count` × (append 4 KiB, fdatasync) in `dir`, bounded by `maxMs`; summary line. */
export function fsyncProbe(dir: string, count = 50, maxMs = 5_000): string {
  const file = join(dir, 'fsync-probe');
  const times: number[] = [];
  const block = Buffer.alloc(4096, 1);
  const fd = openSync(file, 'w');
  try {
    const deadline = performance.now() + maxMs;
    for (let i = 0; i < count && performance.now() < deadline; i += 1) {
      const t0 = performance.now();
      writeSync(fd, block);
      fdatasyncSync(fd);
      times.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  const s = summarize(times);
  return `write+fdatasync 4 KiB: median ${ms(s.median)} ms, p95 ${ms(s.p95)} ms, max ${ms(s.max)} ms (n=${s.n})`;
}

/** Total and steal jiffies from the first line of /proc/stat. */
export function cpuTimes(): { total: number; steal: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice; guests are inside user.
    const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, steal: values[7] ?? 0 };
  } catch {
    return null;
  }
}

export function stealPercent(from: ReturnType<typeof cpuTimes>, to: ReturnType<typeof cpuTimes>): string {
  if (from === null || to === null || to.total <= from.total) return 'unknown';
  return `${((100 * (to.steal - from.steal)) / (to.total - from.total)).toFixed(1)}%`;
}

export function machineLines(startedAt: number, tmp: string): string[] {
  const cpu = cpus();
  const gib = (b: number): string => (b / 1024 ** 3).toFixed(1);
  return [
    `date:    ${new Date(startedAt).toISOString()}`,
    `machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown cpu'}), ${gib(totalmem())} GiB RAM (${gib(freemem())} free), ` +
      `load avg ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at start, ${platform()} ${arch()}`,
    `node:    ${process.version}`,
    `disk:    temp folders in ${tmp} (${fsType(tmp)}); ${fsyncProbe(tmp)}`,
  ];
}
