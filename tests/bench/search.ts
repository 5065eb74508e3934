// The search section of `npm run bench` (KT_BENCH_ONLY=search, issue 14, Q3–Q7): search over
// 1,000 documents on the device. Measured in this Node process with the app's own code: the
// text index built from AES-GCM-sealed copies (the vault's codec, WebCrypto), then queries over
// the 1,000 rows with the index warm (p50, p95). Not in Chromium: a phone at 4× CPU is slower by
// about that factor (the device section shows the ratio for its work). Nothing is asserted.
import * as Y from 'yjs';
import { emptyQuery, findRows, type FindItem } from '../../client/app/logic/search';
import { TextIndex } from '../../client/app/session/text-index';
import { createAesGcmCodec, generateDataKey } from '../../client/vault/crypto';
import { initDocument, sectionText, writeFields } from '../../shared/model/document';
import { briefTemplate } from '../../shared/templates/builtin/brief';
import { ms, summarize, type Summary } from './table';

export const SEARCH_DOCS = 1_000;
const QUERY_ROUNDS = 200;
const BUILD_ROUNDS = 3;

export interface SearchFigures {
  docs: number;
  build: Summary | null;
  query: Summary | null;
  titleOnly: Summary | null;
  errors: string[];
}

export const emptySearchFigures = (): SearchFigures => ({ docs: SEARCH_DOCS, build: null, query: null, titleOnly: null, errors: [] });

const NAMES = ['Fatima El Amrani', 'Jan de Vries', 'Müller', 'José Çelik', 'Anna Bos', 'Piet Puk', 'Sanne Bakker', 'Mohamed Yilmaz'];
const WORDS = 'huur schuld zorg moeder tuin woning afspraak keukentafel voorschot uitkering gemeente wijkteam'.split(' ');

function letter(i: number): Uint8Array {
  const doc = new Y.Doc();
  initDocument(doc, briefTemplate, { id: `doc-${i}`, teamId: 'centrum', createdBy: 'u', createdAt: 1 });
  writeFields(doc, briefTemplate, { betrokkeneNaam: `${NAMES[i % NAMES.length] ?? ''} ${i}`, onderwerp: `Onderwerp ${i}`, zaaknummer: `ZAAK-2026-${i}` });
  const text = Array.from({ length: 300 }, (_, k) => WORDS[(i + k * 7) % WORDS.length]).join(' ');
  sectionText(doc, 'kern')?.insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

export async function runSearchSection(figures: SearchFigures, deadline: number, progress: (m: string) => void): Promise<void> {
  try {
    const codec = createAesGcmCodec(await generateDataKey(), 'updates');
    const sealed = new Map<string, Uint8Array>();
    for (let i = 0; i < SEARCH_DOCS; i++) sealed.set(`doc-${i}`, await codec.encode(letter(i)));
    const store = {
      loadUpdates: async (id: string) => {
        const bytes = sealed.get(id);
        return bytes === undefined ? { updates: [], count: 0 } : { updates: [await codec.decode(bytes)], count: 1 };
      },
    };
    const items: FindItem[] = Array.from({ length: SEARCH_DOCS }, (_, i) => ({
      id: `doc-${i}`,
      title: `Onderwerp ${i}`,
      zaak: `ZAAK-2026-${i}`,
      status: i % 3 === 0 ? 'ter-goedkeuring' : 'concept',
      templateId: 'brief',
      authorId: 'u',
      authorName: 'Vera Veldwerker',
      updatedAt: 1_000_000 + i,
      statusSince: 1_000_000 + i,
    }));
    const rows = items.map((it) => ({ id: it.id, stamp: it.updatedAt }));
    progress(`search: ${SEARCH_DOCS} sealed documents ready`);

    let index = new TextIndex(store);
    const builds: number[] = [];
    for (let r = 0; r < BUILD_ROUNDS && Date.now() < deadline; r++) {
      index = new TextIndex(store);
      const t0 = performance.now();
      await index.refresh(rows);
      builds.push(performance.now() - t0);
    }
    figures.build = summarize(builds);

    const queries = ['amrani', 'jose celik', 'zaak-2026-512', 'huur woning', 'muller 7', 'onbekend woord', 'vera', 'keukentafel gemeente 99'];
    const timed: number[] = [];
    const titleOnly: number[] = [];
    for (let r = 0; r < QUERY_ROUNDS && Date.now() < deadline; r++) {
      const text = queries[r % queries.length] ?? '';
      let t0 = performance.now();
      findRows(items, { ...emptyQuery, text, sort: r % 2 === 0 ? 'bijgewerkt' : 'zaak' }, 2_000_000, (id) => index.get(id));
      timed.push(performance.now() - t0);
      t0 = performance.now();
      findRows(items, { ...emptyQuery, text }, 2_000_000, () => undefined);
      titleOnly.push(performance.now() - t0);
    }
    figures.query = summarize(timed);
    figures.titleOnly = summarize(titleOnly);
  } catch (error) {
    figures.errors.push(error instanceof Error ? error.message : String(error));
  }
}

export function printSearchFigures(figures: SearchFigures): void {
  const row = (label: string, s: Summary | null): string =>
    `${label.padEnd(56)} ${s === null ? '–' : `p50 ${ms(s.median)} ms   p95 ${ms(s.p95)} ms   (n=${s.n})`}`;
  console.log(
    [
      '',
      `Search on the device over ${figures.docs} documents (Q3–Q7; Node, the app's code, AES-GCM-sealed copies)`,
      row('build the text index (decrypt + decode + normalise all)', figures.build),
      row('one search, words and text index warm (filter + sort)', figures.query),
      row('one search over list rows only (no text index)', figures.titleOnly),
      ...figures.errors.map((e) => `error: ${e}`),
    ].join('\n'),
  );
}

// Run alone: `npx tsx tests/bench/search.ts` (also what KT_BENCH_ONLY=search runs).
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const figures = emptySearchFigures();
  void runSearchSection(figures, Date.now() + 120_000, (m) => process.stderr.write(`${m}\n`)).then(() => printSearchFigures(figures));
}
