// The rich-text editor itself (its own lazy chunk: ProseMirror and y-prosemirror are ~100 KB
// gzipped and stay out of the first screen). A ProseMirror view bound to the section's
// Y.XmlFragment with ySyncPlugin, so every keystroke is a Yjs edit that merges with co-editors';
// yCursorPlugin shows their cursors from the document connection's awareness; yUndoPlugin undoes
// only this user's own edits.
import { baseKeymap, chainCommands } from 'prosemirror-commands';
import { inputRules, undoInputRule, wrappingInputRule } from 'prosemirror-inputrules';
import { keymap } from 'prosemirror-keymap';
import { EditorState, Selection, type Command, type Plugin } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { splitListItem } from 'prosemirror-schema-list';
import { redo, undo, yCursorPlugin, ySyncPlugin, ySyncPluginKey, yUndoPlugin, yUndoPluginKey } from 'y-prosemirror';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { RICH_NODES } from '../../../../shared/model/rich-text';
import { markLocalOrigin } from '../local-origin';
import { activeState, commandFor, liftAtListStart, type ActiveState, type RichAction } from './commands';
import { nodes, richSchema } from './schema';

export interface RichEditorOptions {
  fragment: Y.XmlFragment;
  /** The document connection's awareness (co-editors' cursors); null when there is none. */
  awareness: Awareness | null;
  /** Attributes of the editable element (role, aria-*, data-testid). */
  attributes: Record<string, string>;
  onActive: (active: ActiveState) => void;
}

export interface RichEditor {
  run(action: RichAction): void;
  setAttributes(attributes: Record<string, string>): void;
  focus(): void;
  destroy(): void;
}

const SAFE_COLOUR = /^#[0-9a-f]{6}$/i;

interface CursorUser {
  name?: unknown;
  colour?: unknown;
  color?: unknown;
}

/**
 * A co-editor's caret with their name, from the `user` field Presence publishes ({name, colour});
 * the name is text, never HTML, and a colour that is not #rrggbb is replaced.
 */
function cursorBuilder(user: CursorUser): HTMLElement {
  const colour = typeof user.colour === 'string' && SAFE_COLOUR.test(user.colour) ? user.colour : '#3d5374';
  const name = typeof user.name === 'string' && user.name.length > 0 ? user.name.slice(0, 80) : 'Collega';
  const caret = document.createElement('span');
  caret.className = 'kt-rich__cursor';
  caret.style.borderColor = colour;
  caret.setAttribute('data-testid', 'rich-cursor');
  const label = document.createElement('span');
  label.className = 'kt-rich__cursor-name';
  label.style.backgroundColor = colour;
  label.textContent = name;
  // Word joiners keep the caret from breaking a line on its own.
  caret.append('\u2060', label, '\u2060');
  return caret;
}

function selectionBuilder(user: CursorUser): { style: string; class: string } {
  const colour = typeof user.colour === 'string' && SAFE_COLOUR.test(user.colour) ? user.colour : '#3d5374';
  return { style: `background-color: ${colour}33`, class: 'kt-rich__selection' };
}

/**
 * Start and end of the whole text, handled here instead of by the browser: a co-editor's caret
 * (a widget that is not editable) can stop the browser's own Ctrl+Home / Ctrl+End.
 */
const toStart: Command = (state, dispatch) => {
  dispatch?.(state.tr.setSelection(Selection.atStart(state.doc)).scrollIntoView());
  return true;
};
const toEnd: Command = (state, dispatch) => {
  dispatch?.(state.tr.setSelection(Selection.atEnd(state.doc)).scrollIntoView());
  return true;
};

/** y-prosemirror's declarations type its plugins as `any`; they are ProseMirror plugins. */
const asPlugin = (plugin: unknown): Plugin => plugin as Plugin;

function plugins(fragment: Y.XmlFragment, awareness: Awareness | null): Plugin[] {
  const list: Plugin[] = [asPlugin(ySyncPlugin(fragment))];
  if (awareness !== null) list.push(asPlugin(yCursorPlugin(awareness, { cursorBuilder, selectionBuilder })));
  list.push(
    asPlugin(yUndoPlugin()),
    inputRules({
      rules: [
        wrappingInputRule(/^\s*([-*])\s$/, nodes.bulletList),
        wrappingInputRule(/^(\d+)\.\s$/, nodes.orderedList, null, (_match, node) => node.childCount > 0),
      ],
    }),
    keymap({
      'Mod-b': commandFor.bold,
      'Mod-B': commandFor.bold,
      'Mod-i': commandFor.italic,
      'Mod-I': commandFor.italic,
      'Mod-z': undo,
      'Mod-y': redo,
      'Mod-Shift-z': redo,
      'Mod-Home': toStart,
      'Mod-End': toEnd,
      Enter: splitListItem(nodes.listItem),
      Backspace: chainCommands(undoInputRule, liftAtListStart),
    }),
    keymap(baseKeymap),
  );
  return list;
}

export function mountRichEditor(host: HTMLElement, options: RichEditorOptions): RichEditor {
  const { fragment } = options;
  // ProseMirror needs one block to put the cursor in; a device may have left the fragment empty.
  if (fragment.length === 0 && fragment.doc !== null) {
    fragment.doc.transact(() => fragment.insert(0, [new Y.XmlElement(RICH_NODES.paragraph)]), markLocalOrigin({ binding: 'rich-init' }));
  }
  // ySyncPlugin and the undo manager write with their own origins; the badge must know those
  // edits are this device's typing (S1: saved on the device before it says so).
  markLocalOrigin(ySyncPluginKey);
  let attributes = options.attributes;
  const state = EditorState.create({ schema: richSchema, plugins: plugins(fragment, options.awareness) });
  const view: EditorView = new EditorView(host, {
    state,
    attributes: () => attributes,
    // `this`, not `view`: ySyncPlugin renders the fragment while the view is being constructed.
    dispatchTransaction(this: EditorView, tr) {
      const next = this.state.apply(tr);
      this.updateState(next);
      options.onActive(activeState(next));
    },
  });
  const undoManager = yUndoPluginKey.getState(view.state)?.undoManager;
  if (undoManager !== undefined) markLocalOrigin(undoManager);
  options.onActive(activeState(view.state));
  return {
    run(action) {
      commandFor[action](view.state, view.dispatch, view);
      view.focus();
    },
    setAttributes(next) {
      attributes = next;
      // Any setProps call makes the view read the attributes again.
      view.setProps({ attributes: () => attributes });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
