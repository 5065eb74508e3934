// Version 2 of the built-in templates: their body sections are rich text (paragraphs, lists,
// bold, italic) instead of plain text. Derived from version 1 rather than copied, so the two stay
// the same template apart from the section kind; version 1 stays registered, so drafts started
// on it keep their plain sections (T3).
import type { Template } from '../schema';

/** One-line openings and closings stay plain: nothing there to format. */
const STAYS_PLAIN: ReadonlySet<string> = new Set(['aanhef', 'afsluiting']);

export function withRichBody(template: Template): Template {
  return {
    ...template,
    version: template.version + 1,
    sections: template.sections.map((section) =>
      section.kind === 'plain' && !STAYS_PLAIN.has(section.key) ? { ...section, kind: 'rich' as const } : section,
    ),
  };
}
