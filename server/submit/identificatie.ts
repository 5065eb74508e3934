// O2: a submission's identificatie is derived from the document and the version only, so every
// retry, look-up and re-render names the same thing, and the DMS can refuse a second copy.
// 16 hex digits of the document id (64 bits) keep it short enough to quote from a letter while a
// collision stays out of reach; the store's UNIQUE constraint would refuse one rather than mix up.

export function identificatieFor(docId: string, version: number): string {
  const hex = docId.replace(/[^0-9a-fA-F]/g, '').toLowerCase().slice(0, 16);
  if (hex.length < 16 || !Number.isInteger(version) || version < 1) {
    throw new Error(`no identificatie for document ${docId} version ${version}`);
  }
  return `KT-${hex}-v${version}`;
}
