// The EnkelvoudigInformatieObject as the Documenten API answers it: only what the adapter reads,
// checked with zod, and what it means for a delivery (ours or someone else's, complete or not).
import { z } from 'zod';
import type { Delivery } from '../types';
import type { ZgwConfig } from './config';

const partSchema = z.object({
  url: z.url(),
  volgnummer: z.number().int(),
  omvang: z.number().int().nonnegative(),
  voltooid: z.boolean(),
});
export type Part = z.infer<typeof partSchema>;
export const eioSchema = z.object({
  url: z.url(),
  identificatie: z.string().optional(),
  locked: z.boolean().optional(),
  /** Only in the answer to a create without inhoud (O6). */
  lock: z.string().optional(),
  integriteit: z.object({ waarde: z.string().optional() }).nullish(),
  bestandsdelen: z.array(partSchema).optional(),
});
export type Eio = z.infer<typeof eioSchema>;
export const eioPageSchema = z.object({ count: z.number().int().nonnegative().optional(), results: z.array(eioSchema) });
export const lockSchema = z.object({ lock: z.string().min(1) });

/**
 * J9: a document under our identificatie whose integrity value names other bytes is someone
 * else's (ours carry our SHA-256 from the create on, even half-uploaded). Without a value we
 * cannot tell, and take it as ours, as before.
 */
export function isForeign(eio: Eio, sha256: string): boolean {
  const theirs = eio.integriteit?.waarde;
  return theirs !== undefined && theirs !== '' && theirs !== sha256;
}

/** Archived means: there, unlocked, every part uploaded, and (when asked) with these bytes. */
export function isComplete(eio: Eio, sha256?: string): boolean {
  if (eio.locked === true) return false;
  if ((eio.bestandsdelen ?? []).some((p) => !p.voltooid)) return false;
  return sha256 === undefined || eio.integriteit?.waarde === sha256;
}

/** O6: a PDF above the threshold goes up in bestandsdelen. */
export function isChunked(delivery: Delivery, config: Pick<ZgwConfig, 'chunkThresholdBytes'>): boolean {
  return delivery.pdf.byteLength > config.chunkThresholdBytes;
}
