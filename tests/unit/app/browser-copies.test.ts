// Browser copies (N): what the browser itself keeps of the screens, outside the app's encrypted
// store. These are the structural halves of N1 and N2, read from the sources with TypeScript's
// parser so a new screen or field cannot slip past them; the e2e test
// tests/e2e/browser-copies.test.ts searches a real Chromium profile for what is left.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { APP_NAME, PAGE_KINDS, pageTitle } from '../../../client/app/logic/page-title';

const CLIENT = join(process.cwd(), 'client');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/**
 * The officials' own sign-in: the browser's password manager may keep the official's username
 * and password (their own credentials, not a citizen's data); every other form control says
 * "off". Keyed by file and element id.
 */
const CREDENTIAL_FIELDS: Record<string, string> = {
  'client/app/screens/SignIn.tsx#username': 'username',
  'client/app/screens/SignIn.tsx#password': 'current-password',
  'client/app/admin/NewUser.tsx#nieuw-wachtwoord': 'new-password',
  'client/app/admin/User.tsx#gebruiker-wachtwoord': 'new-password',
};

interface Control {
  where: string;
  tag: string;
  id: string | null;
  autocomplete: string | null;
  spellcheckOff: boolean;
}

function controls(): Control[] {
  const found: Control[] = [];
  for (const path of sources(CLIENT)) {
    const file = parse(path);
    walk(file, (node) => {
      if (!ts.isJsxOpeningElement(node) && !ts.isJsxSelfClosingElement(node)) return;
      const tag = node.tagName.getText(file);
      if (!['input', 'textarea', 'select'].includes(tag)) return;
      const attribute = (name: string): ts.JsxAttribute | undefined =>
        node.attributes.properties.find((p): p is ts.JsxAttribute => ts.isJsxAttribute(p) && p.name.getText(file) === name);
      const literal = (name: string): string | null => {
        const init = attribute(name)?.initializer;
        return init !== undefined && ts.isStringLiteral(init) ? init.text : init === undefined ? null : init.getText(file);
      };
      const spellcheck = attribute('spellcheck')?.initializer;
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      found.push({
        where: `${relative(process.cwd(), path)}:${line + 1}`,
        tag,
        id: literal('id'),
        autocomplete: literal('autocomplete'),
        spellcheckOff: spellcheck !== undefined && spellcheck.getText(file).includes('false'),
      });
    });
  }
  return found;
}

describe('browser copies (N)', () => {
  it('[N1] the page title names the kind of screen only, never its content', () => {
    expect(pageTitle('Document bewerken')).toBe('Document bewerken — Keukentafel');
    expect(pageTitle(undefined)).toBe(APP_NAME);
    // Whatever reaches it at run time that is not a fixed kind gives the bare app name.
    expect(pageTitle('Voorschot voor Jan de Vries' as never)).toBe(APP_NAME);
    for (const kind of PAGE_KINDS) expect(pageTitle(kind)).toBe(`${kind} — Keukentafel`);
  });

  it('[N1] only the screen heading sets document.title, and only through pageTitle', () => {
    const writers: string[] = [];
    for (const path of sources(CLIENT)) {
      const file = parse(path);
      walk(file, (node) => {
        if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        const target = node.left.getText(file).replace(/\s/g, '');
        if (!/(^|\.)document\.title$/.test(target)) return;
        writers.push(`${relative(process.cwd(), path)}: ${node.getText(file)}`);
      });
    }
    expect(writers).toEqual(['client/app/components/ScreenHeading.tsx: document.title = pageTitle(page)']);
  });

  it('[N2] every input, textarea and select says autocomplete="off" (officials\' own credentials excepted) and none turns spell check off where content is written', () => {
    const all = controls();
    // The sweep sees the known controls (guards against a parser that finds nothing).
    expect(all.filter((c) => c.tag === 'textarea').length).toBeGreaterThanOrEqual(4);
    const wrong = all.filter((c) => {
      const key = `${c.where.split(':')[0]}#${c.id ?? ''}`;
      return c.autocomplete !== (CREDENTIAL_FIELDS[key] ?? 'off');
    });
    expect(wrong.map((c) => `${c.where} <${c.tag} id=${c.id ?? '?'}> autocomplete=${c.autocomplete ?? '(none)'}`)).toEqual([]);
    // Spell check is off only on the official's own credentials: the sign-in's and the
    // administration's usernames, the app PIN (K10), which no dictionary should see, and the search
    // box (Q-rules): a query is no content, and citizens' names in it would only be underlined.
    const noSpelling = all.filter((c) => c.spellcheckOff).map((c) => c.where.split(':')[0]);
    expect([...new Set(noSpelling)].sort()).toEqual(['client/app/admin/NewUser.tsx', 'client/app/components/PinField.tsx', 'client/app/find/FindBar.tsx', 'client/app/screens/SignIn.tsx']);
  });
});
