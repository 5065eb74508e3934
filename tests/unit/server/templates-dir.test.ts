// T2 and T3: a municipality's TEMPLATES_DIR is loaded next to the built-ins; a broken file is
// refused with a message naming the file and the problem while the others load; new documents
// get the newest version, a draft keeps resolving the version it was started on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinTemplates } from '../../../shared/templates/builtin';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { loadTemplatesDir } from '../../../server/templates/load-dir';
import { TemplateRegistry } from '../../../server/templates/registry';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-templates-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const own = {
  id: 'gemeente-uitnodiging',
  version: 1,
  kind: 'brief',
  title: 'Uitnodiging voor een gesprek',
  titleField: 'onderwerp',
  fields: [{ key: 'onderwerp', type: 'text', label: 'Onderwerp', required: true }],
  sections: [{ key: 'kern', kind: 'plain', label: 'Kern', required: true }],
};

describe('TEMPLATES_DIR', () => {
  it('[T2] loads valid files, refuses broken ones with the file name and the problem, and keeps going', () => {
    const dir = folder({
      'a-uitnodiging.json': JSON.stringify(own),
      'b-kapot.json': '{ "id": "kapot", ',
      'c-keuze.json': JSON.stringify({ ...own, id: 'keuze', fields: [{ key: 'onderwerp', type: 'choice', label: 'Soort', required: true }] }),
      'd-plaatshouder.json': JSON.stringify({
        ...own,
        id: 'slot',
        sections: [{ key: 'slot', kind: 'fixed', label: 'Slot', required: true, text: 'Groet, {afzender}' }],
      }),
      'e-dubbel.json': JSON.stringify({ ...briefTemplate }),
      'leesmij.txt': 'geen sjabloon',
    });
    const registry = new TemplateRegistry(builtinTemplates);
    const result = loadTemplatesDir(dir, registry);
    expect(result.loaded).toEqual(['gemeente-uitnodiging@1']);
    expect(result.refused).toEqual([
      { file: 'b-kapot.json', message: expect.stringMatching(/^Sjabloon b-kapot\.json geweigerd: geen geldige JSON/) as string },
      { file: 'c-keuze.json', message: 'Sjabloon c-keuze.json geweigerd: keuzeveld "onderwerp" heeft geen opties' },
      { file: 'd-plaatshouder.json', message: 'Sjabloon d-plaatshouder.json geweigerd: onbekende plaatshouder {afzender} in onderdeel "slot"' },
      {
        file: 'e-dubbel.json',
        message: 'Sjabloon e-dubbel.json geweigerd: versie brief@1 bestaat al; geef het sjabloon een hoger versienummer',
      },
    ]);
    expect(registry.available().map((t) => t.id)).toContain('gemeente-uitnodiging');
  });

  it('[T2] a schema problem names the path of what is wrong', () => {
    const dir = folder({ 'x.json': JSON.stringify({ ...own, fields: [{ key: 'onderwerp', type: 'iban', label: 'X', required: true }] }) });
    const [refused] = loadTemplatesDir(dir, new TemplateRegistry()).refused;
    expect(refused?.message).toMatch(/^Sjabloon x\.json geweigerd: fields\.0\.type: /);
  });

  it('[T2] a missing folder is reported, not thrown', () => {
    const result = loadTemplatesDir(join(tmpdir(), 'kt-bestaat-niet-4242'), new TemplateRegistry());
    expect(result.loaded).toEqual([]);
    expect(result.refused[0]?.message).toMatch(/^Sjablonenmap .* kan niet worden gelezen/);
  });

  it('[T3] new documents get the newest version; older versions stay resolvable for drafts and submit', () => {
    const dir = folder({
      'v1.json': JSON.stringify(own),
      'v2.json': JSON.stringify({ ...own, version: 2, title: 'Uitnodiging voor een gesprek (nieuw)' }),
    });
    const registry = new TemplateRegistry(builtinTemplates);
    expect(loadTemplatesDir(dir, registry).loaded).toEqual(['gemeente-uitnodiging@1', 'gemeente-uitnodiging@2']);
    expect(registry.available().filter((t) => t.id === own.id).map((t) => t.version)).toEqual([2]);
    expect(registry.get(own.id, 1)?.title).toBe(own.title);
    expect(registry.versions(own.id).map((t) => t.version)).toEqual([2, 1]);
  });
});
