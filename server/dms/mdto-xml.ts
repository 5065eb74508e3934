// M8: the MDTO XML form of an informatieobject or a bestand (namespace of MDTO-XML 1.0.1), what an
// e-depot ingests and validates against the Nationaal Archief's XSD. An MDTO XML document holds
// one object, so a filed letter has two: metadata.xml (the informatieobject) and
// document.pdf.mdto.xml (its bestand). Written from the same tree as metadata.json (mdto.ts),
// whose keys are already in the XSD's element order: an array is a repeated element, an object
// nested elements, anything else escaped text.
import type { MdtoBestand, MdtoInformatieobject } from './mdto';

export const MDTO_NAMESPACE = 'https://www.nationaalarchief.nl/mdto';
export const MDTO_XSD = 'https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd';

/** Characters XML 1.0 cannot carry at all (control characters besides tab, LF, CR; lone surrogates). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function element(name: string, value: unknown, indent: string, out: string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) element(name, item, indent, out);
    return;
  }
  if (typeof value === 'object') {
    out.push(`${indent}<${name}>`);
    for (const [key, child] of Object.entries(value)) element(key, child, `${indent}  `, out);
    out.push(`${indent}</${name}>`);
    return;
  }
  out.push(`${indent}<${name}>${escapeXml(String(value))}</${name}>`);
}

/** One MDTO XML document holding `informatieobject` or `bestand`. */
export function mdtoXml(object: { informatieobject: MdtoInformatieobject } | { bestand: MdtoBestand }): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<MDTO xmlns="${MDTO_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${MDTO_NAMESPACE} ${MDTO_XSD}">`,
  ];
  if ('informatieobject' in object) element('informatieobject', object.informatieobject, '  ', out);
  else element('bestand', object.bestand, '  ', out);
  out.push('</MDTO>', '');
  return out.join('\n');
}
