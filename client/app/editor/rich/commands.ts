// What the toolbar and the keyboard do to a rich section, and which of it is "on" at the cursor
// (the toolbar's aria-pressed). Lists follow the phone's habits: a list button toggles, and the
// other list button turns the list into its kind instead of nesting one in the other.
import type { MarkType, NodeType, Node as PMNode } from 'prosemirror-model';
import { type Command, type EditorState } from 'prosemirror-state';
import { toggleMark } from 'prosemirror-commands';
import { liftListItem, wrapInList } from 'prosemirror-schema-list';
import { marks, nodes } from './schema';

export type RichAction = 'bold' | 'italic' | 'bulletList' | 'orderedList';

export type ActiveState = Record<RichAction, boolean>;

function markActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  if (empty) return type.isInSet(state.storedMarks ?? $from.marks()) !== undefined;
  return state.doc.rangeHasMark(from, to, type);
}

/** The innermost list around the cursor, with its position; null outside a list. */
function listAround(state: EditorState): { node: PMNode; pos: number } | null {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type === nodes.bulletList || node.type === nodes.orderedList) return { node, pos: $from.before(depth) };
  }
  return null;
}

export function activeState(state: EditorState): ActiveState {
  const list = listAround(state);
  return {
    bold: markActive(state, marks.bold),
    italic: markActive(state, marks.italic),
    bulletList: list?.node.type === nodes.bulletList,
    orderedList: list?.node.type === nodes.orderedList,
  };
}

function toggleList(type: NodeType): Command {
  return (state, dispatch) => {
    const list = listAround(state);
    if (list === null) return wrapInList(type)(state, dispatch);
    if (list.node.type === type) return liftListItem(nodes.listItem)(state, dispatch);
    if (dispatch !== undefined) dispatch(state.tr.setNodeMarkup(list.pos, type));
    return true;
  };
}

export const commandFor: Record<RichAction, Command> = {
  bold: toggleMark(marks.bold),
  italic: toggleMark(marks.italic),
  bulletList: toggleList(nodes.bulletList),
  orderedList: toggleList(nodes.orderedList),
};

/** Backspace at the start of a list item's first paragraph takes the item out of the list. */
export const liftAtListStart: Command = (state, dispatch) => {
  const { $cursor } = state.selection as { $cursor?: EditorState['selection']['$from'] | null };
  if ($cursor === undefined || $cursor === null || $cursor.parentOffset > 0) return false;
  const depth = $cursor.depth;
  if (depth < 2 || $cursor.node(depth - 1).type !== nodes.listItem || $cursor.index(depth - 1) !== 0) return false;
  return liftListItem(nodes.listItem)(state, dispatch);
};
