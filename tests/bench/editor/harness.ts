// Browser side of the editor figures (bundled by build-child.ts into one script): a 20-page
// document either in the rich editor (the app's own mountRichEditor: ProseMirror bound to a
// Y.XmlFragment with ySyncPlugin, yUndoPlugin, input rules, keymap) or in the peer, a textarea
// bound to a Y.Text with the app's bindTextarea. A recorder takes, for every keystroke, the time
// from the keydown event to the frame after it, and checks that the character is then in the
// DOM at the caret.
import * as Y from 'yjs';
import { bindTextarea } from '../../../client/app/editor/bind-textarea';
import { mountRichEditor } from '../../../client/app/editor/rich/mount';
import { RICH_NODES } from '../../../shared/model/rich-text';

export const PAGES = 20;
const PARAGRAPHS_PER_PAGE = 5;

/** About 600 characters of ordinary Dutch letter text. */
function paragraphText(page: number, n: number): string {
  return (
    `Pagina ${page + 1}, alinea ${n + 1}. U woont sinds maart bij uw moeder en zorgt voor haar. ` +
    'Wij hebben met u besproken welke hulp u nodig heeft en wat u zelf kunt doen. ' +
    'De wijkverpleegkundige komt twee keer per week langs. Uw broer doet de boodschappen op zaterdag. ' +
    'Wij kijken over drie maanden samen met u of deze afspraken nog passen bij wat u nodig heeft. ' +
    'Heeft u eerder vragen, bel ons dan gerust. Wij helpen u graag verder met wat er nodig is.'
  );
}

interface Recording {
  latencies: number[];
  missing: number;
}

const recording: Recording = { latencies: [], missing: 0 };

function record(check: (key: string) => boolean): void {
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.key.length !== 1) return;
      const start = event.timeStamp;
      const key = event.key;
      // The frame after the keystroke: by then the editor has handled it and the browser paints.
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (check(key)) recording.latencies.push(performance.now() - start);
          else recording.missing += 1;
        }, 0),
      );
    },
    true,
  );
}

function richFragment(doc: Y.Doc): Y.XmlFragment {
  const fragment = doc.getXmlFragment('kern');
  const blocks: Y.XmlElement[] = [];
  for (let page = 0; page < PAGES; page++) {
    for (let n = 0; n < PARAGRAPHS_PER_PAGE; n++) {
      const p = new Y.XmlElement(RICH_NODES.paragraph);
      const text = new Y.XmlText();
      p.insert(0, [text]);
      blocks.push(p);
      if (n === 2) {
        const list = new Y.XmlElement(RICH_NODES.bulletList);
        for (const item of ['Boodschappen op zaterdag', 'Wijkverpleging twee keer per week', 'Evaluatie over drie maanden']) {
          const li = new Y.XmlElement(RICH_NODES.listItem);
          const lp = new Y.XmlElement(RICH_NODES.paragraph);
          lp.insert(0, [new Y.XmlText(item)]);
          li.insert(0, [lp]);
          list.insert(list.length, [li]);
        }
        blocks.push(list);
      }
    }
  }
  doc.transact(() => fragment.insert(0, blocks));
  // Text with marks once integrated: a bold phrase in every paragraph.
  let i = 0;
  doc.transact(() => {
    for (const block of blocks) {
      if (block.nodeName !== RICH_NODES.paragraph) continue;
      const text = block.get(0) as Y.XmlText;
      const body = paragraphText(Math.floor(i / PARAGRAPHS_PER_PAGE), i % PARAGRAPHS_PER_PAGE);
      text.insert(0, body);
      text.format(20, 30, { bold: true });
      i++;
    }
  });
  return fragment;
}

function plainText(): string {
  const paragraphs: string[] = [];
  for (let page = 0; page < PAGES; page++) for (let n = 0; n < PARAGRAPHS_PER_PAGE; n++) paragraphs.push(paragraphText(page, n));
  return paragraphs.join('\n\n');
}

/** Caret at the end of the middle paragraph (page 10), where an official edits a long text. */
function middleParagraphIndex(): number {
  return Math.floor((PAGES * PARAGRAPHS_PER_PAGE) / 2);
}

const api = {
  /** Mounts the rich editor with 20 pages; returns the mount time and the document's length. */
  setupRich(): { mountMs: number; characters: number } {
    const doc = new Y.Doc();
    const fragment = richFragment(doc);
    const host = document.getElementById('host')!;
    const started = performance.now();
    mountRichEditor(host, { fragment, awareness: null, attributes: { 'data-testid': 'editable', class: 'kt-rich__editable' }, onActive: () => undefined });
    const mountMs = performance.now() - started;
    const editable = host.querySelector<HTMLElement>('[contenteditable]')!;
    const paragraph = editable.querySelectorAll(':scope > p')[middleParagraphIndex()]!;
    editable.focus();
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    range.collapse(false);
    const selection = getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    paragraph.scrollIntoView({ block: 'center' });
    record((key) => {
      const sel = getSelection();
      const node = sel?.anchorNode;
      return node !== null && node !== undefined && (node.textContent ?? '').slice(0, sel!.anchorOffset).endsWith(key);
    });
    return { mountMs, characters: editable.textContent?.length ?? 0 };
  },
  /** The peer: the same 20 pages as plain text in a textarea bound to Y.Text. */
  setupTextarea(): { mountMs: number; characters: number } {
    const doc = new Y.Doc();
    const text = doc.getText('kern');
    text.insert(0, plainText());
    const textarea = document.createElement('textarea');
    textarea.rows = 20;
    textarea.style.width = '100%';
    document.getElementById('host')!.append(textarea);
    const started = performance.now();
    bindTextarea(textarea, text);
    const mountMs = performance.now() - started;
    const value = textarea.value;
    let at = 0;
    for (let n = 0; n <= middleParagraphIndex(); n++) at = value.indexOf('\n\n', at + 1);
    textarea.focus();
    textarea.setSelectionRange(at, at);
    record((key) => textarea.value[textarea.selectionStart - 1] === key);
    return { mountMs, characters: value.length };
  },
  /** Latencies recorded so far (ms), and keystrokes whose character was not found. */
  take(): Recording {
    const taken = { latencies: [...recording.latencies], missing: recording.missing };
    recording.latencies = [];
    recording.missing = 0;
    return taken;
  },
};

(window as unknown as { ktBench: typeof api }).ktBench = api;
