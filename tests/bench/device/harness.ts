// Browser side of the device figures (bundled by build-child.ts into one script, served from
// 127.0.0.1 so WebCrypto and IndexedDB have a real, secure origin). What it measures goes through
// the app's own code: DexieLocalStore (real IndexedDB, strict durability as the app opens it),
// DocPersistence, the rich editor, and client/vault/crypto.ts (AES-GCM codec, PBKDF2 PIN key).
// Two variants of every storage figure: `identity` (the codec before issue 13) and `aes-gcm`.
import * as Y from 'yjs';
import { initDocument, sectionFragment, writeFields } from '../../../shared/model/document';
import { builtinTemplates } from '../../../shared/templates/builtin/index';
import type { Template } from '../../../shared/templates/schema';
import { mountRichEditor } from '../../../client/app/editor/rich/mount';
import { openDexieLocalStore, type DexieLocalStore } from '../../../client/store/dexie-local-store';
import { DocPersistence, PERSISTENCE_ORIGIN } from '../../../client/store/doc-persistence';
import { identityCodec, type Codec } from '../../../client/store/local-store';
import {
  createAesGcmCodec,
  derivePinKey,
  fromBase64Url,
  generateDataKey,
  importRecoveryKey,
  randomBytes,
  toBase64Url,
  unwrapDataKey,
  wrapDataKey,
} from '../../../client/vault/crypto';

export type Variant = 'identity' | 'aes-gcm';

/** Edits stored as rows of their own after the document's compacted state (as typed offline). */
const EDIT_ROWS_PER_DOC = 10;
const PIN = '246810';
const USER = 'bench';
const KEY_SLOT = 'kt-bench-device-key';

const template: Template = (() => {
  const brief = builtinTemplates.find((t) => t.id === 'brief' && t.sections.some((s) => s.key === 'kern' && s.kind === 'rich'));
  if (brief === undefined) throw new Error('no rich brief template');
  return brief;
})();

/** About 600 characters of a letter about a citizen's situation. */
function paragraph(n: number): string {
  return (
    `Alinea ${n + 1}. U woont sinds maart bij uw moeder en zorgt voor haar. U heeft schulden bij de energieleverancier ` +
    'en de zorgverzekeraar. Wij hebben met u besproken welke hulp u nodig heeft en wat u zelf kunt doen. ' +
    'De wijkverpleegkundige komt twee keer per week langs. Uw broer doet de boodschappen op zaterdag. ' +
    'Wij kijken over drie maanden samen met u of deze afspraken nog passen bij wat u nodig heeft.'
  );
}

/** A letter with the citizen's details and `paragraphs` paragraphs in its rich body. */
function letter(id: string, paragraphs: number): Y.Doc {
  const doc = new Y.Doc();
  const body = Array.from({ length: paragraphs }, (_, i) => paragraph(i)).join('\n\n');
  const withBody: Template = { ...template, sections: template.sections.map((s) => (s.key === 'kern' ? { ...s, initial: body } : s)) };
  initDocument(doc, withBody, { id, teamId: 'team-bench', createdBy: USER, createdAt: Date.UTC(2026, 11, 1) });
  writeFields(doc, template, {
    zaaknummer: `ZAAK-2026-${id.slice(-4)}`,
    betrokkeneNaam: 'Mevrouw J. de Vries',
    betrokkeneAdres: 'Dorpsstraat 12\n1234 AB Voorbeeld',
    onderwerp: 'Uw aanvraag voor ondersteuning',
  });
  return doc;
}

const docId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const dbUser = (variant: Variant): string => `bench-open-${variant}`;

/**
 * The codec of a variant. For AES-GCM the data key is opened as the app opens it (unwrapped,
 * non-extractable); kept wrapped by a recovery key in localStorage so a reloaded page finds it.
 */
async function codecOf(variant: Variant): Promise<{ codec: Codec; unlockMs: number }> {
  if (variant === 'identity') return { codec: identityCodec, unlockMs: 0 };
  const started = performance.now();
  let saved = localStorage.getItem(KEY_SLOT);
  if (saved === null) {
    const recoveryKey = toBase64Url(randomBytes(32));
    const wrapped = await wrapDataKey(await generateDataKey(), await importRecoveryKey(recoveryKey), { slot: 'recovery', userId: USER });
    saved = JSON.stringify({ recoveryKey, wrapped: toBase64Url(wrapped) });
    localStorage.setItem(KEY_SLOT, saved);
  }
  const { recoveryKey, wrapped } = JSON.parse(saved) as { recoveryKey: string; wrapped: string };
  const key = await unwrapDataKey(fromBase64Url(wrapped), await importRecoveryKey(recoveryKey), { slot: 'recovery', userId: USER });
  return { codec: createAesGcmCodec(key), unlockMs: performance.now() - started };
}

async function deleteDatabase(name: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
  });
}

/** Writes `docs` documents as the app would have stored them, through the store's own API. */
async function seed(variant: Variant, docs: number): Promise<{ ms: number; rows: number; storedBytes: number }> {
  await deleteDatabase(`keukentafel-${dbUser(variant)}`);
  const started = performance.now();
  const { codec } = await codecOf(variant);
  const store = await openDexieLocalStore(dbUser(variant), { codec });
  let rows = 0;
  let storedBytes = 0;
  for (let i = 0; i < docs; i++) {
    const id = docId(i);
    const doc = letter(id, 3 + (i % 5));
    const state = Y.encodeStateAsUpdate(doc);
    const edits: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => edits.push(update));
    const text = (sectionFragment(doc, 'kern')!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    for (let e = 0; e < EDIT_ROWS_PER_DOC; e++) text.insert(text.length, ` aanvulling ${e + 1}`);
    const snapshot = Y.encodeSnapshot(Y.snapshot(doc));
    // The state row first, so a dirty flag precedes its updates as DocPersistence writes them.
    await store.putDocState(id, { ackedSnapshot: snapshot, hasLocalChanges: i % 4 === 0 });
    for (const update of [state, ...edits]) {
      await store.appendUpdate(id, update);
      storedBytes += update.byteLength;
      rows++;
    }
  }
  return { ms: performance.now() - started, rows, storedBytes };
}

/**
 * Whether the first `rows` raw update rows of a seeded database hold `needle` in UTF-8: read with
 * the bare IndexedDB API, past the store, so the bench knows its AES-GCM variant really encrypts.
 */
async function rawContains(variant: Variant, needle: string, rows = 20): Promise<boolean> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(`keukentafel-${dbUser(variant)}`);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
  try {
    const values = await new Promise<unknown[]>((resolve, reject) => {
      const request = db.transaction('updates', 'readonly').objectStore('updates').getAll(null, rows);
      request.onsuccess = () => resolve(request.result as unknown[]);
      request.onerror = () => reject(request.error ?? new Error('read failed'));
    });
    const wanted = new TextEncoder().encode(needle);
    const holds = (bytes: Uint8Array): boolean => {
      outer: for (let i = 0; i + wanted.length <= bytes.length; i++) {
        for (let j = 0; j < wanted.length; j++) if (bytes[i + j] !== wanted[j]) continue outer;
        return true;
      }
      return false;
    };
    return values.some((row) => {
      const data = (row as { data?: unknown }).data;
      return data instanceof Uint8Array && holds(data);
    });
  } finally {
    db.close();
  }
}

/**
 * Opening the seeded device in a fresh page: (1) what the sync manager does at every start
 * (open the database, list the documents, read every document's state), (2) then every document
 * loaded into a Y.Doc through DocPersistence.bind, one after another (the worst case: all 200
 * opened, as after a long offline stretch; the app opens documents as they are shown or sent).
 */
async function openDevice(variant: Variant): Promise<{ unlockMs: number; startMs: number; loadMs: number; docs: number; characters: number }> {
  const { codec, unlockMs } = await codecOf(variant);
  const started = performance.now();
  const store: DexieLocalStore = await openDexieLocalStore(dbUser(variant), { codec });
  const ids = await store.listDocIds();
  await Promise.all(ids.map((id) => store.getDocState(id)));
  const startMs = performance.now() - started;
  const loadStarted = performance.now();
  let characters = 0;
  for (const id of ids) {
    const doc = new Y.Doc();
    const persistence = await DocPersistence.bind(store, id, doc);
    characters += doc.getMap('fields').size + (sectionFragment(doc, 'kern')?.length ?? 0);
    await persistence.destroy();
    doc.destroy();
  }
  return { unlockMs, startMs, loadMs: performance.now() - loadStarted, docs: ids.length, characters };
}

interface Recording {
  latencies: number[];
  /** Updates with no keystroke before them (not counted). */
  unmatched: number;
}
const recording: Recording = { latencies: [], unmatched: 0 };
let typingRuns = 0;

/**
 * A two-page letter in the rich editor, bound to a fresh database through DocPersistence as the
 * app binds an open document. Every keystroke is timed from its keydown to the frame after
 * DocPersistence.whenSaved() resolved for the update it made: when the app's badge stops saying
 * "Wordt bewaard op dit apparaat" (use-document.ts does the same wait).
 */
async function setupTyping(variant: Variant): Promise<{ mountMs: number }> {
  const user = `bench-typing-${variant}-${typingRuns++}`;
  await deleteDatabase(`keukentafel-${user}`);
  const { codec } = await codecOf(variant);
  const store = await openDexieLocalStore(user, { codec });
  const id = docId(9_999);
  const doc = letter(id, 8);
  const persistence = await DocPersistence.bind(store, id, doc);
  await persistence.whenSaved();
  const host = document.getElementById('host')!;
  const started = performance.now();
  mountRichEditor(host, { fragment: sectionFragment(doc, 'kern')!, awareness: null, attributes: { class: 'kt-rich__editable' }, onActive: () => undefined });
  const mountMs = performance.now() - started;
  const pending: number[] = [];
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.key.length === 1) pending.push(event.timeStamp);
    },
    true,
  );
  // Registered after DocPersistence's own listener: by now the update is queued for the store.
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin === PERSISTENCE_ORIGIN) return;
    const start = pending.shift();
    if (start === undefined) {
      recording.unmatched += 1;
      return;
    }
    void persistence.whenSaved().then(() =>
      requestAnimationFrame(() => setTimeout(() => recording.latencies.push(performance.now() - start), 0)),
    );
  });
  const editable = host.querySelector<HTMLElement>('[contenteditable]')!;
  const middle = editable.querySelectorAll(':scope > p')[4]!;
  editable.focus();
  const range = document.createRange();
  range.selectNodeContents(middle);
  range.collapse(false);
  getSelection()!.removeAllRanges();
  getSelection()!.addRange(range);
  return { mountMs };
}

function take(): Recording {
  const taken = { latencies: [...recording.latencies], unmatched: recording.unmatched };
  recording.latencies = [];
  recording.unmatched = 0;
  return taken;
}

/**
 * Unlocking with the PIN as the vault does: PBKDF2-SHA256 (client/vault/crypto.ts derivePinKey)
 * and unwrapping the data key with it. One untimed run wraps a key for this count; `runs` timed.
 * Frames are counted meanwhile: the longest gap says whether a spinner keeps turning.
 */
async function kdf(iterations: number, runs: number): Promise<{ samples: number[]; longestFrameMs: number }> {
  const salt = randomBytes(16);
  const ctx = { slot: 'pin', userId: USER } as const;
  const wrapped = await wrapDataKey(await generateDataKey(), await derivePinKey(PIN, salt, iterations), ctx);
  const samples: number[] = [];
  let longestFrameMs = 0;
  let last = performance.now();
  let watching = true;
  const frame = (now: number): void => {
    longestFrameMs = Math.max(longestFrameMs, now - last);
    last = now;
    if (watching) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    await unwrapDataKey(wrapped, await derivePinKey(PIN, salt, iterations), ctx);
    samples.push(performance.now() - started);
  }
  watching = false;
  return { samples, longestFrameMs };
}

/** The control: fixed JavaScript work on the page's main thread (shows what throttling slows). */
function control(): number {
  const started = performance.now();
  let h = 0x811c9dc5;
  for (let i = 0; i < 20_000_000; i++) h = Math.imul(h ^ (i & 0xff), 0x01000193);
  if (h === 42) console.log(h);
  return performance.now() - started;
}

/** Keystrokes timed so far (the bench waits for the last saves without a fixed sleep). */
const peek = (): number => recording.latencies.length + recording.unmatched;

const api = { seed, rawContains, openDevice, setupTyping, take, peek, kdf, control };
export type DeviceHarness = typeof api;
(window as unknown as { ktDevice: DeviceHarness }).ktDevice = api;
