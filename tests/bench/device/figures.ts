// What the device section has measured (encryption at rest and the PIN's cost, issue 13), and
// its printout. Kept apart from index.ts (which loads Vite and Playwright) so run.ts can hold and
// print the figures cheaply.
import { ms, printSection, ratio, renderTable, summarize } from '../table';

export type Variant = 'identity' | 'aes-gcm';
/** CDP Emulation.setCPUThrottlingRate: 1 = this machine, 4 = Lighthouse's mid-range phone proxy. */
export type Rate = 1 | 4;

export interface SeedRun {
  variant: Variant;
  ms: number;
  rows: number;
  /** Plaintext bytes of the stored updates. */
  storedBytes: number;
}

export interface OpenRun {
  variant: Variant;
  rate: Rate;
  /** Opening the data key (recovery-key unwrap; 0 for identity). */
  unlockMs: number;
  /** Open the database, list documents, read every document's state (every app start). */
  startMs: number;
  /** Every document loaded into a Y.Doc through DocPersistence.bind, one after another. */
  loadMs: number;
  docs: number;
}

export interface TypingRun {
  variant: Variant;
  rate: Rate;
  latencies: number[];
  unmatched: number;
  mountMs: number;
}

export interface KdfRun {
  rate: Rate;
  iterations: number;
  samples: number[];
  /** The longest gap between animation frames while the runs went on (is the page responsive?). */
  longestFrameMs: number;
}

export interface DeviceFigures {
  docs: number;
  seeds: SeedRun[];
  opens: OpenRun[];
  typing: TypingRun[];
  kdf: KdfRun[];
  /** ms of fixed JavaScript work on the page's main thread, per rate. */
  control: { rate: Rate; ms: number }[];
  errors: string[];
}

export function emptyDeviceFigures(docs = 200): DeviceFigures {
  return { docs, seeds: [], opens: [], typing: [], kdf: [], control: [], errors: [] };
}

const median = (values: readonly number[]): number => summarize(values).median;
const RATES: readonly Rate[] = [1, 4];
const rateLabel = (rate: Rate): string => (rate === 1 ? '1× (this machine)' : '4× throttled');

export function printDeviceFigures(figures: DeviceFigures): void {
  const opensOf = (variant: Variant, rate: Rate) => figures.opens.filter((r) => r.variant === variant && r.rate === rate);
  const openRow = (label: string, rate: Rate, pick: (r: OpenRun) => number): (string | number)[] => {
    const plain = opensOf('identity', rate).map(pick);
    const sealed = opensOf('aes-gcm', rate).map(pick);
    const cell = (values: number[]): string =>
      values.length === 0 ? '–' : `${ms(median(values))} (${values.length}: ${ms(Math.min(...values))}–${ms(Math.max(...values))})`;
    return [label, rateLabel(rate), cell(plain), cell(sealed), ratio(median(sealed), median(plain))];
  };
  const seedOf = (variant: Variant) => figures.seeds.find((s) => s.variant === variant);
  const seeded = seedOf('aes-gcm') ?? seedOf('identity');
  printSection(
    `Device: opening a ${figures.docs}-document device in Chromium (IndexedDB through DexieLocalStore), KT_BENCH_ONLY=device`,
    renderTable(
      ['figure', 'CPU', 'identity codec median ms (runs: min–max)', 'AES-GCM median ms (runs: min–max)', 'AES-GCM / identity (medians)'],
      [
        ...RATES.map((rate) => openRow('start: open DB, list documents, every state', rate, (r) => r.startMs)),
        ...RATES.map((rate) => openRow('every document loaded into a Y.Doc', rate, (r) => r.loadMs)),
        ...RATES.map((rate) => openRow('start + every document', rate, (r) => r.startMs + r.loadMs)),
        ...RATES.map((rate) => ['data key unwrapped (recovery key, no KDF)', rateLabel(rate), '–', ms(median(opensOf('aes-gcm', rate).map((r) => r.unlockMs))), '']),
      ],
      2,
    ),
    [
      seeded === undefined
        ? 'not seeded'
        : `${figures.docs} letters (3–7 rich paragraphs, citizen's fields), each 1 compacted row + 10 typed-edit rows and a state row: ${seeded.rows} update rows, ${(seeded.storedBytes / 1024 / 1024).toFixed(1)} MiB plaintext; seeding took ${figures.seeds.map((s) => `${s.variant} ${(s.ms / 1000).toFixed(1)} s`).join(', ')}.`,
      'Each run in a freshly loaded page (cold JavaScript, IndexedDB as Chromium keeps it); variants alternate; documents loaded one after another.',
      'AES-GCM: client/vault/crypto.ts createAesGcmCodec, a random IV per row; the data key is non-extractable.',
      ...figures.errors,
    ],
  );

  const typingOf = (variant: Variant, rate: Rate) => {
    const runs = figures.typing.filter((r) => r.variant === variant && r.rate === rate);
    return { s: summarize(runs.flatMap((r) => r.latencies)), unmatched: runs.reduce((n, r) => n + r.unmatched, 0), runs: runs.length };
  };
  const typingRows = RATES.map((rate) => {
    const plain = typingOf('identity', rate);
    const sealed = typingOf('aes-gcm', rate);
    return [
      rateLabel(rate),
      `${ms(plain.s.median)} / ${ms(plain.s.p95)} (${plain.s.n})`,
      `${ms(sealed.s.median)} / ${ms(sealed.s.p95)} (${sealed.s.n})`,
      `${ratio(sealed.s.median, plain.s.median)} / ${ratio(sealed.s.p95, plain.s.p95)}`,
    ];
  });
  const all = figures.typing;
  printSection(
    'Device: keystroke → stored on the device ("Wordt bewaard op dit apparaat" gone), rich editor, Chromium',
    renderTable(['CPU', 'identity median / p95 ms (keys)', 'AES-GCM median / p95 ms (keys)', 'AES-GCM / identity'], typingRows, 1),
    [
      'keydown → DocPersistence.whenSaved() for the update it made → the next frame: the wait use-document.ts makes before the badge changes.',
      `A letter of 8 rich paragraphs in a fresh database per run (strict durability, as the app opens it); ${all.length} runs alternating; updates without a keystroke: ${all.reduce((n, r) => n + r.unmatched, 0)}.`,
    ],
  );

  const iterations = [...new Set(figures.kdf.map((r) => r.iterations))].sort((a, b) => a - b);
  const kdfOf = (rate: Rate, n: number) => figures.kdf.filter((r) => r.rate === rate && r.iterations === n).flatMap((r) => r.samples);
  const controlOf = (rate: Rate) => figures.control.filter((c) => c.rate === rate).map((c) => c.ms);
  printSection(
    'Device: unlocking with the PIN, PBKDF2-SHA256 (derivePinKey) + unwrap of the data key, Chromium',
    renderTable(
      ['iterations', '1× median ms (runs)', '4× throttled median ms (runs)', '4× / 1×', 'longest frame gap meanwhile, 1× / 4× ms'],
      [
        ...iterations.map((n) => {
          const one = kdfOf(1, n);
          const four = kdfOf(4, n);
          const gap = (rate: Rate): string => ms(Math.max(...figures.kdf.filter((r) => r.rate === rate && r.iterations === n).map((r) => r.longestFrameMs)));
          return [n.toLocaleString('en'), `${ms(median(one))} (${one.length})`, `${ms(median(four))} (${four.length})`, ratio(median(four), median(one)), `${gap(1)} / ${gap(4)}`];
        }),
        ['control: fixed JS work on the main thread', `${ms(median(controlOf(1)))} (${controlOf(1).length})`, `${ms(median(controlOf(4)))} (${controlOf(4).length})`, ratio(median(controlOf(4)), median(controlOf(1))), ''],
      ],
      1,
    ),
    [
      '4×: CDP Emulation.setCPUThrottlingRate 4, Lighthouse\'s proxy for a mid-range phone; a proxy, not a phone. It throttles the page\'s main thread;',
      'the control row shows that it did. Where the 4× / 1× ratio of PBKDF2 stays near 1, WebCrypto ran off the throttled thread and the proxy says nothing about it.',
      'A short longest frame gap means the same: the page kept drawing frames while PBKDF2 ran (a spinner on the lock screen keeps turning).',
    ],
  );
}
