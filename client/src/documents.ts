// Which documents Brickguard looks at. The server decides whether a .json file is an ARM template
// (by its `$schema`); the client selects every candidate by language id and by file pattern, so
// files open with the right language even without the Bicep or HashiCorp extensions installed.
import * as vscode from 'vscode';
import type { DocumentSelector } from 'vscode-languageclient/node';

export const BRICKGUARD_SOURCE = 'brickguard';

// `bicep-params` is the Bicep extension's id for .bicepparam, `bicepparam` ours when it is absent.
export const LANGUAGE_IDS = ['bicep', 'bicepparam', 'bicep-params', 'terraform', 'terraform-vars', 'json', 'jsonc'] as const;

export const FILE_GLOBS = ['**/*.bicep', '**/*.bicepparam', '**/*.tf', '**/*.tfvars', '**/*.json', '**/*.jsonc'];

/** One glob for vscode.workspace.findFiles. */
export const SUPPORTED_FILES_GLOB = '**/*.{bicep,bicepparam,tf,tfvars,json,jsonc}';

export const documentSelector: DocumentSelector = [
  ...LANGUAGE_IDS.flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]),
  ...FILE_GLOBS.map((pattern) => ({ scheme: 'file', pattern })),
];

const SUPPORTED_EXTENSION = /\.(bicep|bicepparam|tf|tfvars|json|jsonc)$/i;

/** True when Brickguard may have something to say about this document. */
export function isSupportedDocument(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return false;
  if ((LANGUAGE_IDS as readonly string[]).includes(document.languageId)) {
    // Plain JSON files are only interesting when they are deployment templates.
    if (document.languageId === 'json' || document.languageId === 'jsonc') return looksLikeArmTemplate(document);
    return true;
  }
  return SUPPORTED_EXTENSION.test(document.uri.path);
}

function looksLikeArmTemplate(document: vscode.TextDocument): boolean {
  if (/(^|\/)brickguard\.json$/i.test(document.uri.path)) return true;
  const head = document.getText(new vscode.Range(0, 0, 40, 0));
  return /deploymentTemplate\.json|deploymentParameters\.json/i.test(head);
}
