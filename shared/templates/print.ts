// P5: whether and how a template field's value prints on the letter. A field says so itself
// (`print`); without it its type decides, on the safe side: a BSN prints masked, a choice (an
// internal switch such as "Uitkomst" or "Maatwerk") never, everything else as typed. Pure.
import type { PrintMode, TemplateField } from './schema';

/** The mode a field prints in: its own `print`, else the safe default of its type. */
export function printModeOf(field: Pick<TemplateField, 'type' | 'print'>): PrintMode {
  if (field.print !== undefined) return field.print;
  if (field.type === 'bsn') return 'masked';
  if (field.type === 'choice') return 'never';
  return 'always';
}

/**
 * A value as `masked` prints it: every letter or digit but the last four becomes `*`, the rest of
 * the characters (spaces, dots) are dropped, so a BSN 123456782 prints as `*****6782`. A value of
 * four characters or fewer prints as `****`: masking must never show all of it.
 */
export function maskPrinted(value: string): string {
  const chars = [...value.replace(/[^\p{L}\p{N}]/gu, '')];
  if (chars.length === 0) return '';
  if (chars.length <= 4) return '*'.repeat(4);
  return '*'.repeat(chars.length - 4) + chars.slice(-4).join('');
}

/** The value as printed, or null when this field does not print. */
export function printedValue(field: Pick<TemplateField, 'type' | 'print'>, value: string): string | null {
  const mode = printModeOf(field);
  if (mode === 'never') return null;
  return mode === 'masked' ? maskPrinted(value) : value;
}
