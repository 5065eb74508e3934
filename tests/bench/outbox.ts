// The outbox section of `npm run bench` (KT_BENCH_ONLY=outbox runs only this): deliveries per
// second to the filesystem DMS and to Prism (the outbox, the adapter alone, a bare peer), submit →
// archived latency on the real server, and recovery after a simulated 10-minute DMS outage with
// 500 submissions waiting. Every part is bounded by `deadline`; what is cut off is named.
import { join } from 'node:path';
import { createFilesystemDms } from '../../server/dms/filesystem';
import { createZgwDms } from '../../server/dms/zgw/adapter';
import { runSubmitLatency } from './outbox-latency';
import { runOutage } from './outbox-outage';
import { bareFolderWrite, bareZgwPost } from './outbox-peers';
import { startPrismTarget, type PrismTarget } from './outbox-prism';
import type { OutboxFigures } from './outbox-report';
import { BENCH_RSIN, renderBenchPdf, type BenchPdf } from './outbox-seed';
import { runLoop, runOutboxDrain, type DeliveryMode, type ThroughputRun } from './outbox-throughput';
import { tempDir } from './target';

const PASSES = 3;
const FS_COUNT = 200;
const PRISM_COUNT = 40;
const OUTAGE = { count: 500, outageMs: 10 * 60_000 } as const;
const LATENCY = { oneAtATime: 30, burst: 30 } as const;

type Progress = (message: string) => void;

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').slice(0, 300);

async function filesystemRun(mode: DeliveryMode, pdf: BenchPdf, count: number): Promise<ThroughputRun> {
  if (mode === 'outbox') return runOutboxDrain('filesystem', (dir) => createFilesystemDms({ dir: join(dir, 'dms'), bronorganisatie: BENCH_RSIN }), pdf, count);
  const dir = tempDir('kt-bench-dms-');
  try {
    if (mode === 'adapter') {
      const dms = createFilesystemDms({ dir: dir.path, bronorganisatie: BENCH_RSIN });
      return await runLoop('filesystem', mode, pdf, count, async (d) => (await dms.deliver(d)).ok);
    }
    return await runLoop('filesystem', mode, pdf, count, async (d) => {
      await bareFolderWrite(dir.path, d);
      return true;
    });
  } finally {
    dir.remove();
  }
}

async function prismRun(mode: DeliveryMode, pdf: BenchPdf, prism: PrismTarget): Promise<ThroughputRun> {
  if (mode === 'outbox') return runOutboxDrain('Prism (ZGW)', () => createZgwDms({ config: prism.config }), pdf, PRISM_COUNT);
  if (mode === 'adapter') {
    const dms = createZgwDms({ config: prism.config });
    return runLoop('Prism (ZGW)', mode, pdf, PRISM_COUNT, async (d) => (await dms.deliver(d)).ok);
  }
  return runLoop('Prism (ZGW)', mode, pdf, PRISM_COUNT, async (d) => {
    await bareZgwPost(prism.config, d, prism.zaakUrl);
    return true;
  });
}

export async function runOutboxSection(f: OutboxFigures, deadline: number, progress: Progress): Promise<void> {
  const left = (): number => deadline - Date.now();
  let pdf: BenchPdf;
  try {
    pdf = await renderBenchPdf();
  } catch (error) {
    f.errors.push(`throughput: no letter PDF could be rendered: ${message(error)}`);
    return;
  }
  progress(`outbox: letter PDF/A of ${(pdf.pdf.length / 1024).toFixed(1)} KiB`);

  const modes: DeliveryMode[] = ['outbox', 'adapter', 'bare'];
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const mode of rotate(modes, pass)) {
      if (left() < 200_000) {
        f.errors.push(`throughput: filesystem ${mode} pass ${pass + 1} skipped, time budget used up`);
        continue;
      }
      progress(`outbox: filesystem ${mode}, pass ${pass + 1}/${PASSES}, ${FS_COUNT} deliveries`);
      try {
        f.throughput.push(await filesystemRun(mode, pdf, FS_COUNT));
      } catch (error) {
        f.errors.push(`throughput: filesystem ${mode}: ${message(error)}`);
      }
    }
  }

  if (left() > 150_000) {
    progress(`outbox: ${OUTAGE.count} submissions through a simulated ${OUTAGE.outageMs / 60_000}-minute outage`);
    try {
      f.outage = await runOutage(pdf, { ...OUTAGE, recoveryRealLimitMs: Math.min(120_000, left() - 100_000) });
      f.outagePeer = await filesystemRun('bare', pdf, OUTAGE.count);
    } catch (error) {
      f.errors.push(`outage: ${message(error)}`);
    }
  } else f.errors.push('outage: skipped, time budget used up');

  if (left() > 100_000) {
    progress(`outbox: latency on the real server, filesystem DMS`);
    try {
      f.latency.push(...(await runSubmitLatency('filesystem', {}, LATENCY)));
    } catch (error) {
      f.errors.push(`latency: filesystem: ${message(error)}`);
    }
  } else f.errors.push('latency: filesystem skipped, time budget used up');

  let prism: PrismTarget | null = null;
  try {
    progress('outbox: starting Prism (documenten, zaken)');
    prism = await startPrismTarget();
    for (let pass = 0; pass < PASSES; pass += 1) {
      for (const mode of rotate(modes, pass)) {
        if (left() < 60_000) {
          f.errors.push(`throughput: Prism ${mode} pass ${pass + 1} skipped, time budget used up`);
          continue;
        }
        progress(`outbox: Prism ${mode}, pass ${pass + 1}/${PASSES}, ${PRISM_COUNT} deliveries`);
        try {
          f.throughput.push(await prismRun(mode, pdf, prism));
        } catch (error) {
          f.errors.push(`throughput: Prism ${mode}: ${message(error)}`);
        }
      }
    }
    if (left() > 45_000) {
      progress('outbox: latency on the real server, Prism (ZGW)');
      try {
        f.latency.push(...(await runSubmitLatency('Prism (ZGW)', prism.env, { oneAtATime: 20, burst: 20 })));
      } catch (error) {
        f.errors.push(`latency: Prism: ${message(error)}`);
      }
    } else f.errors.push('latency: Prism skipped, time budget used up');
  } catch (error) {
    f.errors.push(`throughput: Prism: ${message(error)}`);
  } finally {
    await prism?.stop();
  }
}
