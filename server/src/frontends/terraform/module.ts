// A Terraform module: every .tf file of one folder, with its variables (defaults and tfvars),
// locals, resources, outputs and called local modules (inputs bound).
import { basename, dirname, join, resolve } from 'node:path';
import type { Note, ProviderVersion, Resource, SourceFile } from '../../model/types';
import {
  labelText, literalValue, parseHcl, type Attribute, type Block, type ConfigFile, type Expr,
} from '../../syntax/hcl';
import type { FileHost } from '../types';
import { insideBoundary, outsideNote } from '../boundary';
import { kindOfTerraformType } from './kinds';
import { requiredProviderConstraints, versionFromConstraints, versionFromLockFile } from './version';

export interface ParsedFile {
  path: string;
  text: string;
  tree: ConfigFile;
  source: SourceFile;
}

export interface VariableDecl {
  name: string;
  block: Block;
  file: ParsedFile;
  defaultAttr?: Attribute;
}

/** A value bound to a variable from outside the module: a tfvars attribute or a module argument. */
export interface VariableBinding {
  attr: Attribute;
  file: ParsedFile;
  /** Where the expression is evaluated: the caller module (module arguments) or nowhere (tfvars literals). */
  caller?: ModuleInstance;
}

export interface ResourceDecl {
  type: string;
  name: string;
  block: Block;
  file: ParsedFile;
  resource: Resource;
}

export interface ModuleCall {
  name: string;
  block: Block;
  file: ParsedFile;
  /** The called module when its source is a local folder inside the workspace. */
  instance?: ModuleInstance;
  /** Why it was not followed. */
  notFollowed?: string;
}

export interface ModuleInstance {
  dir: string;
  /** Module names from the unit's root (empty for the root). */
  path: string[];
  files: ParsedFile[];
  variables: Map<string, VariableDecl>;
  bindings: Map<string, VariableBinding>;
  locals: Map<string, { attr: Attribute; file: ParsedFile }>;
  resources: Map<string, ResourceDecl>;
  dataSources: Set<string>;
  modules: Map<string, ModuleCall>;
  outputs: Map<string, { attr: Attribute; file: ParsedFile }>;
  /** Whether the module itself is instantiated by count/for_each. */
  loop: boolean;
  conditional: boolean;
  azurermVersion?: ProviderVersion;
}

const MAX_MODULE_DEPTH = 8;

/** Reads and parses a file once per unit. */
export class FileCache {
  readonly files = new Map<string, ParsedFile>();
  constructor(private readonly host: FileHost) {}

  get(path: string): ParsedFile | undefined {
    const cached = this.files.get(path);
    if (cached) return cached;
    const text = this.host.readFile(path);
    if (text === undefined) return undefined;
    const parsed = parseHcl(text);
    const dialect = path.endsWith('.tfvars') ? 'tfvars' : 'terraform';
    const source: SourceFile = {
      path,
      text,
      dialect,
      comments: parsed.comments,
      syntaxErrors: parsed.errors.map((e) => ({ file: path, span: e.span, message: e.message })),
    };
    const file: ParsedFile = { path, text, tree: parsed.tree, source };
    this.files.set(path, file);
    return file;
  }
}

/** The .tf files of a folder (sorted), plus `extra` when it lives there. */
export function moduleFilePaths(host: FileHost, dir: string, extra?: string): { tf: string[]; tfvars: string[] } {
  const names = host.readDir(dir) ?? [];
  const tf = names.filter((n) => n.endsWith('.tf')).sort().map((n) => join(dir, n));
  const tfvars = names.filter((n) => n.endsWith('.tfvars')).sort().map((n) => join(dir, n));
  if (extra && dirname(extra) === dir) {
    if (extra.endsWith('.tf') && !tf.includes(extra)) tf.push(extra);
    if (extra.endsWith('.tfvars') && !tfvars.includes(extra)) tfvars.push(extra);
  }
  return { tf, tfvars };
}

/** Whether a folder is inside one of the roots (the roots themselves included). */

export interface LoadContext {
  host: FileHost;
  cache: FileCache;
  roots: string[];
  resources: Resource[];
  /** Module calls the boundary stopped. */
  notes: Note[];
}

/** Loads a module folder and, recursively, the local modules it calls. */
export function loadModule(
  ctx: LoadContext,
  dir: string,
  tfPaths: string[],
  path: string[],
  chain: string[],
  flags: { loop: boolean; conditional: boolean },
): ModuleInstance {
  const mod: ModuleInstance = {
    dir,
    path,
    files: [],
    variables: new Map(),
    bindings: new Map(),
    locals: new Map(),
    resources: new Map(),
    dataSources: new Set(),
    modules: new Map(),
    outputs: new Map(),
    loop: flags.loop,
    conditional: flags.conditional,
  };
  for (const p of tfPaths) {
    const f = ctx.cache.get(p);
    if (f) mod.files.push(f);
  }
  for (const file of mod.files) {
    for (const item of file.tree.body.items) {
      if (item.kind !== 'Block') continue;
      const labels = item.labels.map(labelText);
      switch (item.type.text) {
        case 'variable':
          if (labels.length === 1) {
            const defaultAttr = item.body.items.find((a): a is Attribute => a.kind === 'Attribute' && a.name.text === 'default');
            mod.variables.set(labels[0], { name: labels[0], block: item, file, defaultAttr });
          }
          break;
        case 'locals':
          for (const a of item.body.items) if (a.kind === 'Attribute') mod.locals.set(a.name.text, { attr: a, file });
          break;
        case 'output':
          if (labels.length === 1) {
            const value = item.body.items.find((a): a is Attribute => a.kind === 'Attribute' && a.name.text === 'value');
            if (value) mod.outputs.set(labels[0], { attr: value, file });
          }
          break;
        case 'data':
          if (labels.length === 2) {
            mod.dataSources.add(`${labels[0]}.${labels[1]}`);
            addResource(ctx, mod, item, file, labels[0], labels[1], true);
          }
          break;
        case 'resource':
          if (labels.length === 2) addResource(ctx, mod, item, file, labels[0], labels[1]);
          break;
        case 'module':
          if (labels.length === 1) mod.modules.set(labels[0], { name: labels[0], block: item, file });
          break;
        case 'provider':
          // Provider configuration (`storage_use_azuread`…) joins the model as an `existing`
          // resource of kind `provider` (`data.provider.azurerm`): rules read it, none judges it.
          if (labels.length === 1) addResource(ctx, mod, item, file, 'provider', labels[0], true);
          break;
        default:
          break;
      }
    }
  }
  for (const call of mod.modules.values()) followModule(ctx, mod, call, chain);
  return mod;
}

function addResource(ctx: LoadContext, mod: ModuleInstance, block: Block, file: ParsedFile, type: string, name: string, existing = false): void {
  // Data sources are read, not deployed: they join the model as `existing` resources.
  const symbolicName = `${existing ? 'data.' : ''}${type}.${name}`;
  if (mod.resources.has(symbolicName)) return; // a duplicate; Terraform rejects it, keep the first
  const head = { start: block.labels[0].span.start, end: block.labels[block.labels.length - 1].span.end };
  const prefix = mod.path.length ? `module.${mod.path.join('.module.')}.` : '';
  const resource: Resource = {
    id: `${file.path}#${prefix}${symbolicName}`,
    kind: kindOfTerraformType(type),
    schema: 'terraform',
    dialect: 'terraform',
    symbolicName,
    sourceType: type,
    file: file.path,
    head,
    span: block.span,
    body: { kind: 'object', props: [], block: true, loc: { file: file.path, span: block.body.span } },
    handle: { dialect: 'terraform', file: file.path, node: block },
  };
  if (existing) resource.existing = true;
  if (mod.path.length) resource.viaModule = [...mod.path];
  if (mod.loop) resource.loop = true;
  if (mod.conditional) resource.conditional = true;
  mod.resources.set(symbolicName, { type, name, block, file, resource });
  ctx.resources.push(resource);
}

function followModule(ctx: LoadContext, mod: ModuleInstance, call: ModuleCall, chain: string[]): void {
  const sourceAttr = call.block.body.items.find((a): a is Attribute => a.kind === 'Attribute' && a.name.text === 'source');
  const source = sourceAttr ? literalValue(sourceAttr.expr) : undefined;
  if (typeof source !== 'string') {
    call.notFollowed = 'the module source is not a literal string';
    return;
  }
  if (!source.startsWith('./') && !source.startsWith('../') && source !== '.' && source !== '..') {
    call.notFollowed = `module '${call.name}' comes from a remote source (${source})`;
    return;
  }
  const dir = resolve(mod.dir, source);
  if (!insideBoundary(dir, ctx.roots, ctx.host)) {
    call.notFollowed = `module '${call.name}' (${source}) is outside the workspace`;
    if (sourceAttr) ctx.notes.push(outsideNote(call.file.path, sourceAttr.expr.span, 'module'));
    return;
  }
  if (chain.includes(dir) || mod.path.length >= MAX_MODULE_DEPTH) {
    call.notFollowed = `module '${call.name}' calls itself`;
    return;
  }
  if (!ctx.host.isDirectory(dir)) {
    call.notFollowed = `module folder ${source} not found`;
    return;
  }
  const attrs = new Map<string, Attribute>();
  for (const a of call.block.body.items) if (a.kind === 'Attribute') attrs.set(a.name.text, a);
  const loop = mod.loop || attrs.has('for_each') || isCountLoop(attrs.get('count')?.expr);
  const conditional = mod.conditional || isCountConditional(attrs.get('count')?.expr);
  const { tf } = moduleFilePaths(ctx.host, dir);
  const child = loadModule(ctx, dir, tf, [...mod.path, call.name], [...chain, dir], { loop, conditional });
  const meta = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
  for (const [name, attr] of attrs) {
    if (!meta.has(name)) child.bindings.set(name, { attr, file: call.file, caller: mod });
  }
  call.instance = child;
}

function isCountLoop(e: Expr | undefined): boolean {
  if (!e) return false;
  const v = literalValue(e);
  if (typeof v === 'number') return v > 1;
  return !isCountConditional(e);
}

/** `count = cond ? 1 : 0` (or any count that may be zero). */
function isCountConditional(e: Expr | undefined): boolean {
  if (!e) return false;
  const v = literalValue(e);
  if (typeof v === 'number') return v === 0;
  return e.kind === 'Conditional';
}

/** The azurerm version of the root module: lock file, else required_providers constraints. */
export function azurermVersionOf(ctx: LoadContext, dir: string, mods: ModuleInstance[]): ProviderVersion | undefined {
  const lockText = ctx.host.readFile(join(dir, '.terraform.lock.hcl'));
  if (lockText !== undefined) {
    const v = versionFromLockFile(parseHcl(lockText).tree, 'azurerm', join(dir, '.terraform.lock.hcl'));
    if (v) return v;
  }
  return versionFromConstraints(requiredProviderConstraints(mods.flatMap((m) => m.files), 'azurerm'));
}

/** Short label of a file for fix titles. */
export function fileLabel(path: string): string {
  return basename(path);
}
