// Rich-text sections: a Y.XmlFragment as y-prosemirror writes it (the outside contract:
// `paragraph` elements, plus `bullet_list` / `ordered_list` of `list_item`s holding paragraphs),
// with two marks, `bold` and `italic`, stored as attributes of the text. This module reads such a
// fragment into a small block model for the preview, the PDF and the rules, without ProseMirror:
// the server and the first screen never load the editor. Reads are defensive: a fragment came
// from a device, so an unknown element reads as a paragraph of its text, never as an error.
import * as Y from 'yjs';

export interface Run {
  text: string;
  bold: boolean;
  italic: boolean;
}

export type RichBlock =
  | { type: 'paragraph'; runs: Run[] }
  /** A list; each item is the runs of its paragraphs, joined by a line break ('\n' in a run). */
  | { type: 'list'; ordered: boolean; items: Run[][] };

/** Element names the editor's ProseMirror schema uses; the same strings in Yjs. */
export const RICH_NODES = { paragraph: 'paragraph', bulletList: 'bullet_list', orderedList: 'ordered_list', listItem: 'list_item' } as const;
export const RICH_MARKS = { bold: 'bold', italic: 'italic' } as const;

/** Deeper nesting than this is flattened into text: a hostile device cannot make us recurse. */
const MAX_DEPTH = 8;

/** y-prosemirror stores a mark as an attribute named after it (or `name--hash` when it overlaps). */
function hasMark(attributes: Record<string, unknown> | undefined, mark: string): boolean {
  if (attributes === undefined) return false;
  return Object.keys(attributes).some((k) => k === mark || k.startsWith(`${mark}--`));
}

function runsOfText(text: Y.XmlText): Run[] {
  const delta = text.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[];
  const runs: Run[] = [];
  for (const op of delta) {
    if (typeof op.insert !== 'string' || op.insert.length === 0) continue;
    runs.push({ text: op.insert, bold: hasMark(op.attributes, RICH_MARKS.bold), italic: hasMark(op.attributes, RICH_MARKS.italic) });
  }
  return runs;
}

/** Every run inside a node, in order; paragraphs inside it are joined by a line break. */
function inlineRuns(node: Y.XmlElement | Y.XmlText | Y.XmlHook, depth: number): Run[] {
  if (node instanceof Y.XmlText) return runsOfText(node);
  if (!(node instanceof Y.XmlElement) || depth > MAX_DEPTH) return [];
  const runs: Run[] = [];
  let first = true;
  for (const child of node.toArray()) {
    const childRuns = inlineRuns(child, depth + 1);
    if (child instanceof Y.XmlElement && !first && childRuns.length > 0) runs.push({ text: '\n', bold: false, italic: false });
    if (childRuns.length > 0) first = false;
    runs.push(...childRuns);
  }
  return runs;
}

function blockOf(node: Y.XmlElement | Y.XmlText | Y.XmlHook): RichBlock | null {
  if (node instanceof Y.XmlText) {
    const runs = runsOfText(node);
    return runs.length === 0 ? null : { type: 'paragraph', runs };
  }
  if (!(node instanceof Y.XmlElement)) return null;
  const name = node.nodeName;
  if (name === RICH_NODES.bulletList || name === RICH_NODES.orderedList) {
    return {
      type: 'list',
      ordered: name === RICH_NODES.orderedList,
      items: node
        .toArray()
        .map((item) => inlineRuns(item, 1))
        // An item of only spaces is empty: it must not make a required section look written.
        .filter((runs) => runsText(runs).trim().length > 0),
    };
  }
  return { type: 'paragraph', runs: inlineRuns(node, 0) };
}

/** The blocks of a rich section; empty paragraphs and empty lists are left out. */
export function readRichBlocks(fragment: Y.XmlFragment): RichBlock[] {
  const blocks: RichBlock[] = [];
  for (const node of fragment.toArray()) {
    const block = blockOf(node);
    if (block === null) continue;
    if (block.type === 'paragraph' && runsText(block.runs).trim() === '') continue;
    if (block.type === 'list' && block.items.length === 0) continue;
    blocks.push(block);
  }
  return blocks;
}

export function runsText(runs: readonly Run[]): string {
  return runs.map((r) => r.text).join('');
}

/**
 * The blocks as plain text, for the rules and for search: paragraphs separated by a blank line,
 * list items on their own line with '-' or '1.'.
 */
export function richPlainText(blocks: readonly RichBlock[]): string {
  return blocks
    .map((block) =>
      block.type === 'paragraph'
        ? runsText(block.runs).trim()
        : block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${runsText(item).trim()}`).join('\n'),
    )
    .join('\n\n');
}

/** Plain text → paragraphs (split at blank lines), for a template's starting text and for tests. */
export function paragraphsFromText(text: string): Y.XmlElement[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    // A starting text may end in a space on purpose ("U heeft ons gevraagd om "): keep it, so
    // the official types on after it; only the line breaks around a paragraph go.
    .map((p) => p.replace(/^\s+/, '').replace(/\n+$/, ''))
    .filter((p) => p.trim().length > 0)
    .map((p) => {
      const paragraph = new Y.XmlElement(RICH_NODES.paragraph);
      paragraph.insert(0, [new Y.XmlText(p)]);
      return paragraph;
    });
}

/** A new fragment for a rich section, starting with `initial` as paragraphs. */
export function newRichFragment(initial: string): Y.XmlFragment {
  const fragment = new Y.XmlFragment();
  const paragraphs = paragraphsFromText(initial);
  // A fragment must hold one paragraph for the editor to put the cursor in.
  fragment.insert(0, paragraphs.length > 0 ? paragraphs : [new Y.XmlElement(RICH_NODES.paragraph)]);
  return fragment;
}
