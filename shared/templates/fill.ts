// Fills a fixed section's text: {fieldKey} with what the official typed, {gemeente},
// {verzenddatum}, {bezwaartermijnEinde}, {kenmerk}, {bestuursorgaan} and {mandaat} (J3) from the
// letter's context and the template. What is still
// empty shows as [label], so the preview and the checklist make the gap visible. Pure.
import type * as Y from 'yjs';
import { readField } from '../model/document';
import { bezwaartermijnEinde } from '../validate/rules';
import { maskPrinted, printModeOf } from './print';
import { bestuursorgaanName, bestuursorgaanOf, mandaatLineOf, placeName } from './bestuursorgaan';
import type { Template } from './schema';

export interface FillContext {
  municipality: string;
  /** The date the letter is sent, YYYY-MM-DD in Europe/Amsterdam. */
  sentDate: string;
  kenmerk: string;
}

/** 2026-03-03 → "3 maart 2026"; any other string is returned as it is. */
export function dutchDateOf(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m === null) return iso;
  return new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])),
  );
}

/** YYYY-MM-DD of `ms` in Europe/Amsterdam. */
export function amsterdamIsoDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

export function placeholderValues(template: Template, doc: Y.Doc, context: FillContext): Map<string, string> {
  const values = new Map<string, string>();
  for (const field of template.fields) {
    const value = readField(doc, field.key).trim();
    const shown = field.type === 'date' ? dutchDateOf(value) : field.type === 'address' ? value.replace(/\s*\r?\n\s*/g, ', ') : value;
    // P5: a masked field stays masked in a fixed text too (a `never` field cannot be placed, T1).
    const printed = printModeOf(field) === 'masked' ? maskPrinted(shown) : shown;
    values.set(field.key, printed.length > 0 ? printed : `[${field.label}]`);
  }
  values.set('gemeente', placeName(context.municipality));
  values.set('bestuursorgaan', bestuursorgaanName(bestuursorgaanOf(template)));
  values.set('mandaat', mandaatLineOf(template, context.municipality));
  values.set('verzenddatum', dutchDateOf(context.sentDate));
  const end = bezwaartermijnEinde(context.sentDate);
  values.set('bezwaartermijnEinde', end === null ? '[einde bezwaartermijn]' : dutchDateOf(end));
  values.set('kenmerk', context.kenmerk);
  return values;
}

export function fillPlaceholders(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (whole, name: string) => values.get(name) ?? whole);
}
