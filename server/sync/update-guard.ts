// Checks a client's Yjs update before it touches a room's document (L1): nesting depth of the
// shared types it builds (counted through the document it lands in), number of structs, decoded
// size, and for content rooms only the top-level types the document model defines. Pure: reads
// the document, never changes it; Yjs itself recurses through nested types, so depth is bounded here.
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/messages';
import type { RootKind } from '../../shared/model/document';

export interface UpdateBounds {
  /** Deepest nesting of shared types (a type in a root is depth 1). Honest documents stay below 8. */
  maxDepth: number;
  /** Structs plus delete-set ranges in one update. */
  maxStructs: number;
  /** Decoded content: string lengths, binary bytes, JSON text of embedded values. */
  maxContentUnits: number;
  /** Sum of struct lengths (clock span): deleted ranges and GC cost no bytes on the wire but do count. */
  maxClockSpan: number;
}

export const defaultUpdateBounds: UpdateBounds = {
  maxDepth: 32,
  maxStructs: 250_000,
  maxContentUnits: 8 * 1024 * 1024,
  maxClockSpan: 16 * 1024 * 1024,
};

/** The top-level types a room may hold; null: any (index rooms, whose writes S7 refuses anyway). */
export type RootShape = Readonly<Record<string, RootKind>> | null;

export const UpdateRefusal = {
  tooDeep: 'update-too-deep',
  unknownRoot: 'unknown-root-type',
  wrongShape: 'update-wrong-shape',
  tooLarge: 'update-too-large',
} as const;

export type UpdateVerdict = { ok: true } | { ok: false; code: number; reason: string };

const OK: UpdateVerdict = { ok: true };
const refuse = (code: number, reason: string): UpdateVerdict => ({ ok: false, code, reason });

/** Where an item sits: its root (null when not yet known) and the depth of its parent type. */
interface Place {
  root: string | null;
  /** Depth of the type that holds the item: 0 for a root. */
  depth: number;
  /** The item's key in a map parent, null in a sequence. */
  sub: string | null;
}

const UNKNOWN: Place = { root: null, depth: 0, sub: null };

/**
 * Decides whether `update` may be applied to `doc`. `update` must already have decoded without
 * error. Updates Yjs keeps pending (missing dependencies) are checked together with the new one,
 * so a deep chain sent in pieces is counted whole once its pieces meet.
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array, shape: RootShape, bounds: UpdateBounds): UpdateVerdict {
  const { structs, ds } = Y.decodeUpdate(update);
  let count = structs.length;
  for (const ranges of ds.clients.values()) count += ranges.length;
  if (count > bounds.maxStructs) return refuse(CloseCode.tooLarge, UpdateRefusal.tooLarge);
  let span = 0;
  let units = 0;
  for (const struct of structs) {
    span += struct.length;
    if (struct instanceof Y.Item) {
      units += contentUnits(struct.content);
      if (struct.content instanceof Y.ContentDoc) return refuse(CloseCode.malformed, UpdateRefusal.wrongShape);
    }
  }
  if (span > bounds.maxClockSpan || units > bounds.maxContentUnits) {
    return refuse(CloseCode.tooLarge, UpdateRefusal.tooLarge);
  }
  // Yjs keeps what waits for a missing dependency as one update in its V2 encoding.
  const pending = doc.store.pendingStructs;
  const whole = pending === null ? structs : Y.decodeUpdate(Y.mergeUpdates([Y.convertUpdateFormatV2ToV1(pending.update), update])).structs;
  return checkPlaces(doc, whole, shape, bounds);
}

function contentUnits(content: Y.Item['content']): number {
  if (content instanceof Y.ContentString) return content.str.length;
  if (content instanceof Y.ContentBinary) return content.content.byteLength;
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return jsonLength(content.arr);
  if (content instanceof Y.ContentEmbed) return jsonLength(content.embed);
  if (content instanceof Y.ContentFormat) return content.key.length + jsonLength(content.value);
  return 1;
}

function jsonLength(value: unknown): number {
  return JSON.stringify(value ?? null)?.length ?? 4;
}

function checkPlaces(doc: Y.Doc, structs: readonly (Y.Item | Y.GC | Y.Skip)[], shape: RootShape, bounds: UpdateBounds): UpdateVerdict {
  const places = new Places(doc, structs);
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const place = places.of(struct);
    if (struct.content instanceof Y.ContentType && place.depth + 1 > bounds.maxDepth) {
      return refuse(CloseCode.malformed, UpdateRefusal.tooDeep);
    }
    if (shape === null || place.root === null || place.depth > 0) continue;
    const kind = shape[place.root];
    if (kind === undefined) return refuse(CloseCode.malformed, UpdateRefusal.unknownRoot);
    if ((kind === 'map') !== (place.sub !== null)) return refuse(CloseCode.malformed, UpdateRefusal.wrongShape);
  }
  return OK;
}

/** Resolves items' places through parents and origins, iteratively (chains may be long). */
class Places {
  private readonly byClient = new Map<number, Y.Item[]>();
  private readonly known = new Map<Y.Item, Place>();
  private readonly typeDepth = new Map<unknown, { root: string; depth: number }>();

  constructor(
    private readonly doc: Y.Doc,
    structs: readonly (Y.Item | Y.GC | Y.Skip)[],
  ) {
    for (const s of structs) {
      if (!(s instanceof Y.Item)) continue;
      const list = this.byClient.get(s.id.client);
      if (list === undefined) this.byClient.set(s.id.client, [s]);
      else list.push(s);
    }
    for (const list of this.byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  }

  of(start: Y.Item): Place {
    const stack: Y.Item[] = [start];
    const onStack = new Set<Y.Item>([start]);
    while (stack.length > 0) {
      const item = stack[stack.length - 1]!;
      if (this.known.has(item)) {
        stack.pop();
        onStack.delete(item);
        continue;
      }
      const step = this.step(item);
      if (step.place !== undefined) {
        this.known.set(item, step.place);
        stack.pop();
        onStack.delete(item);
      } else if (onStack.has(step.wait)) {
        // A cycle of origins only a hostile device builds; Yjs will never integrate it.
        this.known.set(item, UNKNOWN);
      } else {
        stack.push(step.wait);
        onStack.add(step.wait);
      }
    }
    return this.known.get(start) ?? UNKNOWN;
  }

  /** The item's place if it follows from what is known, else the item it depends on. */
  private step(item: Y.Item): { place: Place; wait?: undefined } | { place?: undefined; wait: Y.Item } {
    const parent: unknown = item.parent;
    if (typeof parent === 'string') return { place: { root: parent, depth: 0, sub: item.parentSub } };
    if (parent instanceof Y.ID) {
      const inUpdate = this.find(parent);
      if (inUpdate !== null) {
        const holder = this.known.get(inUpdate);
        if (holder === undefined) return { wait: inUpdate };
        return { place: { root: holder.root, depth: holder.depth + 1, sub: item.parentSub } };
      }
      const type = this.docTypeAt(parent);
      return { place: type === null ? UNKNOWN : { ...this.depthOf(type), sub: item.parentSub } };
    }
    for (const id of [item.origin, item.rightOrigin]) {
      if (id === null) continue;
      const sibling = this.find(id);
      if (sibling !== null) {
        const known = this.known.get(sibling);
        return known === undefined ? { wait: sibling } : { place: known };
      }
      const docItem = this.docItemAt(id);
      if (docItem !== null && docItem.parent instanceof Y.AbstractType) {
        return { place: { ...this.depthOf(docItem.parent), sub: docItem.parentSub } };
      }
    }
    return { place: UNKNOWN };
  }

  private find(id: Y.ID): Y.Item | null {
    const list = this.byClient.get(id.client);
    if (list === undefined) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return null;
  }

  private docItemAt(id: Y.ID): Y.Item | null {
    const list = this.doc.store.clients.get(id.client);
    const last = list?.[list.length - 1];
    if (last === undefined || id.clock >= last.id.clock + last.length) return null;
    const struct: unknown = Y.getItem(this.doc.store, id);
    return struct instanceof Y.Item ? struct : null;
  }

  private docTypeAt(id: Y.ID): Y.AbstractType<unknown> | null {
    const item = this.docItemAt(id);
    if (item === null || item.deleted || !(item.content instanceof Y.ContentType)) return null;
    return item.content.type;
  }

  /** Depth and root of a type that lives in the document (bounded: every update was checked). */
  private depthOf(type: Y.AbstractType<unknown>): { root: string | null; depth: number } {
    const cached = this.typeDepth.get(type);
    if (cached !== undefined) return cached;
    let depth = 0;
    let t = type;
    while (t._item !== null && t._item.parent instanceof Y.AbstractType) {
      depth += 1;
      t = t._item.parent;
    }
    if (t._item !== null) return { root: null, depth };
    const found = { root: Y.findRootTypeKey(t), depth };
    this.typeDepth.set(type, found);
    return found;
  }
}
