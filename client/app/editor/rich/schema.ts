// The ProseMirror schema of a rich section: exactly the outside contract's nodes and marks
// (shared/model/rich-text.ts names them), nothing more. Because the editor parses pasted HTML
// with this schema, anything else a user pastes (headings, links, tables, colours, images) is
// reduced to paragraphs, lists, bold and italic on the way in.
import { Schema, type DOMOutputSpec, type TagParseRule, type StyleParseRule } from 'prosemirror-model';
import { RICH_MARKS, RICH_NODES } from '../../../../shared/model/rich-text';

const P: DOMOutputSpec = ['p', 0];

/** Block elements that are not ours still carry text: they become paragraphs. */
const paragraphTags: TagParseRule[] = ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'address', 'dd', 'dt'].map((tag) => ({
  tag,
  // Keep only the text and its marks, never a hostile element's attributes.
  preserveWhitespace: false,
}));

const boldRules: (TagParseRule | StyleParseRule)[] = [
  { tag: 'strong' },
  // Google Docs wraps everything in <b style="font-weight:normal">.
  { tag: 'b', getAttrs: (node: HTMLElement) => node.style.fontWeight !== 'normal' && null },
  { style: 'font-weight=400', clearMark: (m) => m.type.name === RICH_MARKS.bold },
  { style: 'font-weight', getAttrs: (value: string) => /^(bold(er)?|[5-9]\d{2,})$/.test(value) && null },
];

const italicRules: (TagParseRule | StyleParseRule)[] = [
  { tag: 'i' },
  { tag: 'em' },
  { style: 'font-style=italic' },
  { style: 'font-style=normal', clearMark: (m) => m.type.name === RICH_MARKS.italic },
];

export const richSchema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    [RICH_NODES.paragraph]: {
      content: 'text*',
      marks: '_',
      group: 'block',
      parseDOM: paragraphTags,
      toDOM: () => P,
    },
    [RICH_NODES.bulletList]: {
      content: `${RICH_NODES.listItem}+`,
      group: 'block',
      parseDOM: [{ tag: 'ul' }],
      toDOM: () => ['ul', 0],
    },
    [RICH_NODES.orderedList]: {
      content: `${RICH_NODES.listItem}+`,
      group: 'block',
      parseDOM: [{ tag: 'ol' }],
      toDOM: () => ['ol', 0],
    },
    // Paragraphs only, no nested lists: the contract's list item holds paragraphs.
    [RICH_NODES.listItem]: {
      content: `${RICH_NODES.paragraph}+`,
      defining: true,
      parseDOM: [{ tag: 'li' }],
      toDOM: () => ['li', 0],
    },
    text: {},
  },
  marks: {
    [RICH_MARKS.bold]: { parseDOM: boldRules, toDOM: () => ['strong', 0] },
    [RICH_MARKS.italic]: { parseDOM: italicRules, toDOM: () => ['em', 0] },
  },
});

export const nodes = {
  paragraph: richSchema.nodes[RICH_NODES.paragraph],
  bulletList: richSchema.nodes[RICH_NODES.bulletList],
  orderedList: richSchema.nodes[RICH_NODES.orderedList],
  listItem: richSchema.nodes[RICH_NODES.listItem],
};

export const marks = {
  bold: richSchema.marks[RICH_MARKS.bold],
  italic: richSchema.marks[RICH_MARKS.italic],
};
