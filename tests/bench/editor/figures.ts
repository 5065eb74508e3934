// What the editor section has measured, and its printout. Kept apart from index.ts (which loads
// Vite and Playwright) so tests/bench/run.ts can hold and print the figures cheaply.
import { ms, printSection, ratio, renderTable, summarize } from '../table';

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
  precached: boolean;
  /** Named by index.html (script or modulepreload): then it would be first-screen JS. */
  inFirstScreen: boolean;
}

export interface TypingRun {
  variant: 'rich' | 'textarea';
  latencies: number[];
  missing: number;
  mountMs: number;
  characters: number;
}

export interface EditorFigures {
  chunk: ChunkSize | null;
  editorScreen: ChunkSize | null;
  runs: TypingRun[];
  errors: string[];
}

export function emptyEditorFigures(): EditorFigures {
  return { chunk: null, editorScreen: null, runs: [], errors: [] };
}

const kb = (bytes: number | null | undefined): string => (bytes === null || bytes === undefined ? '–' : `${(bytes / 1024).toFixed(1)} KB`);

export function printEditorFigures(figures: EditorFigures): void {
  const chunkRows = [figures.chunk, figures.editorScreen]
    .filter((c): c is ChunkSize => c !== null)
    .map((c, i) => [
      i === 0 ? 'rich-text editor (ProseMirror + y-prosemirror), lazy' : 'editor screen chunk (for comparison), lazy',
      c.file,
      kb(c.bytes),
      kb(c.gzip),
      c.precached ? 'yes' : 'NO',
      c.inFirstScreen ? 'YES' : 'no',
    ]);
  printSection(
    'Editor: size of the lazily loaded rich-text chunk (KT_BENCH_ONLY=editor)',
    renderTable(['chunk', 'file', 'raw', 'gzipped', 'precached by the service worker', 'in the first screen'], chunkRows, 2),
    ['Built as `npm start` builds it (vite.config.ts). The first-screen budget (100 KB gz) is measured by the app section.'],
  );

  const of = (variant: TypingRun['variant']) => {
    const runs = figures.runs.filter((r) => r.variant === variant);
    return {
      typing: summarize(runs.flatMap((r) => r.latencies)),
      mount: summarize(runs.map((r) => r.mountMs)),
      missing: runs.reduce((n, r) => n + r.missing, 0),
      characters: runs[0]?.characters ?? null,
      runs: runs.length,
    };
  };
  const rich = of('rich');
  const plain = of('textarea');
  const row = (label: string, s: ReturnType<typeof of>): (string | number)[] => [
    label,
    `${ms(s.typing.median)} (${s.typing.n})`,
    ms(s.typing.p95),
    ms(s.typing.max),
    ms(s.mount.median),
    s.characters ?? '–',
  ];
  printSection(
    'Editor: typing latency in a 20-page document, keydown → next frame with the character in the DOM',
    renderTable(
      [`20 pages (${rich.characters ?? '–'} characters), caret on page 10`, 'median ms (keystrokes)', 'p95 ms', 'max ms', 'mount median ms', 'characters'],
      [
        row('ours: rich editor (ProseMirror + ySyncPlugin, undo, input rules)', rich),
        row('peer: textarea bound to Y.Text (bindTextarea)', plain),
        ['ours / peer', ratio(rich.typing.median, plain.typing.median), ratio(rich.typing.p95, plain.typing.p95), ratio(rich.typing.max, plain.typing.max), ratio(rich.mount.median, plain.mount.median), ''],
      ],
    ),
    [
      `Debian Chromium headless, phone viewport 360×740, no CPU throttling; ${rich.runs} + ${plain.runs} runs alternating, each in a fresh page, first 20 keystrokes unmeasured.`,
      'Latency: from the keydown event\'s timestamp to a task after the next animation frame, when the editor has taken the keystroke into Yjs and the browser is about to paint.',
      `Keystrokes whose character was not at the caret then (not counted): ours ${rich.missing}, peer ${plain.missing}.`,
      'The rich document has a bold phrase in every paragraph and a three-item list on every page; the peer holds the same words as plain text.',
      ...figures.errors,
    ],
  );
}
