// Static checks of the extension manifest (package.json) and the files it points to: settings with
// descriptions and enums, the brickguard.json schema, untrusted-workspace support, activation only
// on contributed languages and commands, icon, snippets, gallery metadata.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RULE_METAS } from '../../server/src/rules/index';
import { REPO_ROOT } from './harness';

interface Setting {
  type: string;
  default?: unknown;
  enum?: string[];
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, Setting>;
}

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const settings = contributes.configuration.properties as Record<string, Setting>;

test('every setting has a description, and string settings an enum', () => {
  for (const [key, setting] of Object.entries(settings)) {
    assert.match(key, /^brickguard\./);
    assert.ok(setting.description || setting.markdownDescription, `${key} has a description`);
    if (setting.type === 'string') assert.ok(setting.enum && setting.enum.length > 0, `${key} has an enum`);
  }
  assert.deepEqual(
    Object.keys(settings).sort(),
    ['brickguard.enable', 'brickguard.maxFileSize', 'brickguard.rules', 'brickguard.trace.server'],
  );
  assert.equal(settings['brickguard.enable'].type, 'boolean');
  assert.equal(settings['brickguard.enable'].default, true);
  assert.equal(settings['brickguard.maxFileSize'].default, 5_000_000);
  assert.deepEqual(settings['brickguard.trace.server'].enum, ['off', 'messages', 'verbose']);
  const rules = settings['brickguard.rules'].properties!;
  for (const meta of ALL_RULE_METAS) {
    assert.deepEqual(rules[meta.id]?.enum, ['off', 'info', 'warning', 'error'], `brickguard.rules.${meta.id}`);
    assert.ok(rules[meta.id].markdownDescription, `brickguard.rules.${meta.id} has a description`);
  }
});

test('brickguard.json has a JSON schema (jsonValidation) with the same rule ids and severities', () => {
  const validation = contributes.jsonValidation as { fileMatch: string; url: string }[];
  const entry = validation.find((v) => v.fileMatch === 'brickguard.json');
  assert.ok(entry);
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, entry.url), 'utf8'));
  assert.equal(schema.additionalProperties, false);
  assert.equal(schema.properties.exclude.type, 'array');
  for (const meta of ALL_RULE_METAS) {
    assert.deepEqual(schema.properties.rules.properties[meta.id]?.enum, ['off', 'info', 'warning', 'error'], meta.id);
  }
  const languages = contributes.languages as { id: string; filenames?: string[] }[];
  assert.ok(languages.some((l) => l.id === 'jsonc' && l.filenames?.includes('brickguard.json')), 'brickguard.json is JSON with comments');
});

test('the extension supports untrusted workspaces and activates only on its languages and commands', () => {
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  // json and jsonc are VS Code's; bicep-params is the Bicep extension's id for .bicepparam.
  const languageIds = new Set([...(contributes.languages as { id: string }[]).map((l) => l.id), 'json', 'jsonc', 'bicep-params']);
  const commandIds = new Set((contributes.commands as { command: string }[]).map((c) => c.command));
  for (const event of manifest.activationEvents as string[]) {
    const [kind, id] = event.split(':');
    if (kind === 'onLanguage') assert.ok(languageIds.has(id), `${event} is a contributed language`);
    else if (kind === 'onCommand') assert.ok(commandIds.has(id), `${event} is a contributed command`);
    else assert.fail(`unexpected activation event ${event}`);
  }
  const fixAllWhen = (contributes.menus.commandPalette as { command: string; when: string }[]).find((m) => m.command === 'brickguard.fixAllInFile')!.when;
  // client/src/documents.ts imports vscode: read its list of language ids as text.
  const clientLanguageIds = /LANGUAGE_IDS = \[([^\]]*)\]/.exec(readFileSync(join(REPO_ROOT, 'client', 'src', 'documents.ts'), 'utf8'))![1];
  const whenIds = new RegExp(/=~ \/(.*)\/$/.exec(fixAllWhen)![1]);
  for (const id of ['bicep', 'bicepparam', 'bicep-params', 'terraform', 'terraform-vars']) {
    assert.ok((manifest.activationEvents as string[]).includes(`onLanguage:${id}`), id);
    assert.ok(whenIds.test(id), `Fix All in File is in the command palette for ${id}`);
    assert.ok(clientLanguageIds.includes(`'${id}'`), `the client's document selector has ${id}`);
  }
});

test('languages, commands and snippets are contributed and the client registers the commands', () => {
  const languages = contributes.languages as { id: string; extensions?: string[]; aliases?: string[]; configuration?: string }[];
  const byExtension = new Map(languages.flatMap((l) => (l.extensions ?? []).map((e) => [e, l] as const)));
  for (const [extension, id] of [['.bicep', 'bicep'], ['.bicepparam', 'bicepparam'], ['.tf', 'terraform'], ['.tfvars', 'terraform-vars']]) {
    const language = byExtension.get(extension);
    assert.equal(language?.id, id, extension);
    assert.ok(language.aliases && language.aliases.length > 0, `${id} has aliases`);
    assert.ok(language.configuration && existsSync(join(REPO_ROOT, language.configuration)), `${id} has a language configuration`);
  }
  const client = ['extension.ts', 'commands.ts', 'statusBar.ts'].map((f) => readFileSync(join(REPO_ROOT, 'client', 'src', f), 'utf8')).join('\n');
  for (const command of contributes.commands as { command: string; title: string; category: string }[]) {
    assert.equal(command.category, 'Brickguard');
    assert.ok(client.includes(`'${command.command}'`), `the client registers ${command.command}`);
  }
  for (const snippet of contributes.snippets as { language: string; path: string }[]) {
    const file = JSON.parse(readFileSync(join(REPO_ROOT, snippet.path), 'utf8'));
    assert.ok(Object.keys(file).length > 0, snippet.path);
  }
  assert.deepEqual([...new Set((contributes.snippets as { language: string }[]).map((s) => s.language))].sort(), ['bicep', 'json', 'jsonc', 'terraform']);
});

test('gallery metadata: a 128×128 PNG icon, categories, keywords, repository, license', () => {
  const icon = readFileSync(join(REPO_ROOT, manifest.icon));
  assert.equal(icon.subarray(1, 4).toString('ascii'), 'PNG');
  assert.equal(icon.readUInt32BE(16), 128);
  assert.equal(icon.readUInt32BE(20), 128);
  assert.ok(manifest.galleryBanner?.color);
  assert.ok(manifest.categories.includes('Linters'));
  assert.ok(manifest.keywords.length >= 5);
  assert.ok(manifest.repository?.url);
  assert.ok(manifest.license);
  assert.ok(existsSync(join(REPO_ROOT, 'LICENSE')));
  assert.ok(existsSync(join(REPO_ROOT, '.vscodeignore')));
});
