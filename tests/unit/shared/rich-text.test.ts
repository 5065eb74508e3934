// R1: a rich section holds only the contract's nodes (paragraph, bullet_list, ordered_list,
// list_item) and marks (bold, italic). The fragments here are written by y-prosemirror's own
// conversion with the editor's schema, exactly as the editor writes them on a device, and read
// back with the shared reader the preview, the PDF and the rules use (no ProseMirror there).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import { richSchema } from '../../../client/app/editor/rich/schema';
import {
  RICH_MARKS,
  RICH_NODES,
  newRichFragment,
  paragraphsFromText,
  readRichBlocks,
  richPlainText,
  type RichBlock,
} from '../../../shared/model/rich-text';
import { readSection, readSectionContent } from '../../../shared/model/document';

type Json = { type: string; text?: string; marks?: { type: string }[]; content?: Json[] };

const t = (text: string, ...marks: string[]): Json => (marks.length === 0 ? { type: 'text', text } : { type: 'text', text, marks: marks.map((type) => ({ type })) });
const p = (...content: Json[]): Json => ({ type: 'paragraph', content });
const li = (...paragraphs: Json[]): Json => ({ type: 'list_item', content: paragraphs });
const ul = (...items: Json[]): Json => ({ type: 'bullet_list', content: items });
const ol = (...items: Json[]): Json => ({ type: 'ordered_list', content: items });

/** A section written by y-prosemirror into a document's `sections` map, as on a device. */
function written(...blocks: Json[]): { doc: Y.Doc; fragment: Y.XmlFragment } {
  const doc = new Y.Doc();
  const fragment = new Y.XmlFragment();
  doc.getMap('sections').set('kern', fragment);
  prosemirrorJSONToYXmlFragment(richSchema, { type: 'doc', content: blocks }, fragment);
  return { doc, fragment };
}

const run = (text: string, bold = false, italic = false) => ({ text, bold, italic });

describe('rich text (R1)', () => {
  it('[R1] the editor schema uses exactly the contract\'s node and mark names', () => {
    expect(Object.keys(richSchema.nodes).sort()).toEqual(['doc', 'text', ...Object.values(RICH_NODES)].sort());
    expect(Object.keys(richSchema.marks).sort()).toEqual(Object.values(RICH_MARKS).sort());
  });

  it('[R1] paragraphs with bold and italic read back as runs', () => {
    const { fragment } = written(p(t('Wij '), t('kennen', RICH_MARKS.bold), t(' u '), t('toe', RICH_MARKS.italic), t('.')), p(t('Tweede alinea.')));
    expect(readRichBlocks(fragment)).toEqual<RichBlock[]>([
      { type: 'paragraph', runs: [run('Wij '), run('kennen', true), run(' u '), run('toe', false, true), run('.')] },
      { type: 'paragraph', runs: [run('Tweede alinea.')] },
    ]);
  });

  it('[R1] overlapping bold and italic give one run per combination', () => {
    const { fragment } = written(p(t('vet '), t('beide', 'bold', 'italic'), t(' schuin', 'italic')));
    expect(readRichBlocks(fragment)).toEqual([
      { type: 'paragraph', runs: [run('vet ', false, false), run('beide', true, true), run(' schuin', false, true)] },
    ]);
    const { fragment: second } = written(p(t('a', 'bold'), t('b', 'bold', 'italic'), t('c', 'italic')));
    expect(readRichBlocks(second)).toEqual([{ type: 'paragraph', runs: [run('a', true), run('b', true, true), run('c', false, true)] }]);
  });

  it('[R1] bulleted and numbered lists read back with their items, a multi-paragraph item joined by a line break', () => {
    const { fragment, doc } = written(
      p(t('Wat u moet doen:')),
      ul(li(p(t('Formulier '), t('invullen', 'bold'))), li(p(t('Opsturen')))),
      ol(li(p(t('Eerst dit'))), li(p(t('Dan dat')), p(t('met uitleg', 'italic')))),
    );
    expect(readRichBlocks(fragment)).toEqual<RichBlock[]>([
      { type: 'paragraph', runs: [run('Wat u moet doen:')] },
      { type: 'list', ordered: false, items: [[run('Formulier '), run('invullen', true)], [run('Opsturen')]] },
      { type: 'list', ordered: true, items: [[run('Eerst dit')], [run('Dan dat'), run('\n'), run('met uitleg', false, true)]] },
    ]);
    // The rules read plain text: lists as lines with '-' and '1.'.
    expect(readSection(doc, 'kern')).toBe('Wat u moet doen:\n\n- Formulier invullen\n- Opsturen\n\n1. Eerst dit\n2. Dan dat\nmet uitleg');
    expect(readSectionContent(doc, 'kern').kind).toBe('rich');
  });

  it('[R1] what the reader reads is what y-prosemirror itself reads back', () => {
    const json = { type: 'doc', content: [p(t('Eén '), t('twee', 'bold')), ul(li(p(t('drie', 'italic'))))] };
    const { fragment } = written(...json.content);
    const back = yXmlFragmentToProsemirrorJSON(fragment) as Json;
    expect(richSchema.nodeFromJSON(back).eq(richSchema.nodeFromJSON(json))).toBe(true);
  });

  it('[R1] empty paragraphs and empty lists are left out', () => {
    const { fragment } = written(p(), p(t('  ')), p(t('Tekst')), ul(li(p())));
    expect(readRichBlocks(fragment)).toEqual([{ type: 'paragraph', runs: [run('Tekst')] }]);
  });

  it('[R1] a new section starts with its template text as paragraphs, keeping a trailing space to type on after', () => {
    const doc = new Y.Doc();
    const fragment = newRichFragment('U heeft ons gevraagd om ');
    doc.getMap('sections').set('aanvraag', fragment);
    expect(readRichBlocks(fragment)).toEqual([{ type: 'paragraph', runs: [run('U heeft ons gevraagd om ')] }]);
    expect(paragraphsFromText('Een.\n\n\nTwee.\r\n\r\nDrie.').length).toBe(3);
    const empty = newRichFragment('');
    doc.getMap('sections').set('leeg', empty);
    expect(empty.length).toBe(1);
    expect(readRichBlocks(empty)).toEqual([]);
  });

  it('[R1] hostile content: an unknown element reads as a paragraph of its text, never as markup', () => {
    const doc = new Y.Doc();
    const fragment = new Y.XmlFragment();
    doc.getMap('sections').set('kern', fragment);
    const script = new Y.XmlElement('script');
    script.setAttribute('src', 'https://evil.example/x.js');
    const heading = new Y.XmlElement('heading');
    const link = new Y.XmlElement('link');
    fragment.insert(0, [script, heading, new Y.XmlText('losse tekst')]);
    script.insert(0, [new Y.XmlText('alert(1)')]);
    heading.insert(0, [new Y.XmlText('Kop '), link]);
    link.insert(0, [new Y.XmlText('klik')]);
    const text = new Y.XmlText();
    fragment.insert(3, [new Y.XmlElement('image'), text]);
    text.insert(0, 'onderstreept', { underline: true, 'bold--x1': true });
    expect(readRichBlocks(fragment)).toEqual([
      { type: 'paragraph', runs: [run('alert(1)')] },
      { type: 'paragraph', runs: [run('Kop '), run('\n'), run('klik')] },
      { type: 'paragraph', runs: [run('losse tekst')] },
      // A mark y-prosemirror writes as `name--hash` when two overlap is still the mark.
      { type: 'paragraph', runs: [run('onderstreept', true)] },
    ]);
  });

  it('[R1] hostile content: deep nesting is cut off instead of recursing without end', () => {
    const doc = new Y.Doc();
    const fragment = new Y.XmlFragment();
    doc.getMap('sections').set('kern', fragment);
    const outer = new Y.XmlElement('paragraph');
    fragment.insert(0, [outer]);
    let current = outer;
    for (let i = 0; i < 300; i++) {
      const next = new Y.XmlElement(i % 2 === 0 ? 'bullet_list' : 'list_item');
      current.insert(0, [new Y.XmlText(`${i} `), next]);
      current = next;
    }
    const blocks = readRichBlocks(fragment);
    expect(blocks).toHaveLength(1);
    const plain = richPlainText(blocks);
    expect(plain.startsWith('0 ')).toBe(true);
    expect(plain).not.toContain('299');
    // A list whose items are nested lists of lists still reads, as text.
    const list = new Y.XmlElement('ordered_list');
    fragment.insert(1, [list]);
    const item = new Y.XmlElement('list_item');
    list.insert(0, [item]);
    const inner = new Y.XmlElement('bullet_list');
    item.insert(0, [inner]);
    const innerItem = new Y.XmlElement('list_item');
    inner.insert(0, [innerItem]);
    const para = new Y.XmlElement('paragraph');
    innerItem.insert(0, [para]);
    para.insert(0, [new Y.XmlText('genest')]);
    expect(readRichBlocks(fragment)[1]).toEqual({ type: 'list', ordered: true, items: [[run('genest')]] });
  });
});
