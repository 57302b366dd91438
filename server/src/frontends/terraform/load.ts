// Builds the analysis unit of a Terraform folder: the root module (every .tf of the folder, tfvars
// applied), the local modules it calls, and the resources of all of them lowered into the model.
import { basename, dirname, resolve } from 'node:path';
import type { Property, Resource, Unit, Value } from '../../model/types';
import type { FileHost } from '../types';
import { boundedHost } from '../boundary';
import { Evaluator, type Scope } from './evaluate';
import { providerOfType } from './kinds';
import { azurermVersionOf, FileCache, loadModule, moduleFilePaths, type LoadContext, type ModuleInstance } from './module';

/** The module folder of a path (a folder, or the folder of a .tf/.tfvars file). */
export function moduleDirOf(path: string, host: FileHost): string {
  return host.isDirectory(path) ? resolve(path) : dirname(resolve(path));
}

/** Loads the unit of the folder that holds `path`; never throws. */
export function loadTerraformUnit(path: string, host: FileHost): Unit {
  try {
    return buildUnit(path, boundedHost(host, path, moduleDirOf(path, host)));
  } catch (e) {
    // An internal error must not take the analysis down: report it on the file itself.
    const text = host.readFile(path) ?? '';
    const message = `Brickguard could not build the Terraform module (internal error: ${e instanceof Error ? e.message : String(e)})`;
    return {
      root: dirname(resolve(path)),
      dialect: 'terraform',
      files: [{ path, text, dialect: path.endsWith('.tfvars') ? 'tfvars' : 'terraform', comments: [], syntaxErrors: [{ file: path, span: { start: 0, end: 0 }, message }] }],
      ownFiles: [path],
      resources: [],
    };
  }
}

/**
 * The module files the unit of `path` reads besides its folder's own (as `calledFiles` of
 * `loadTerraformUnit`'s unit), found by loading the modules without lowering their resources.
 */
export function terraformCalledFiles(path: string, host: FileHost): string[] {
  try {
    const { ctx, tf } = loadModules(path, boundedHost(host, path, moduleDirOf(path, host)));
    const own = new Set(tf);
    return [...ctx.cache.files.values()].filter((f) => f.source.dialect === 'terraform' && !own.has(f.path)).map((f) => resolve(f.path));
  } catch {
    return [];
  }
}

/** The root module of `path`'s folder and the local modules it calls, read and parsed. */
function loadModules(path: string, host: FileHost): { ctx: LoadContext; dir: string; root: ModuleInstance; tf: string[]; tfvars: string[] } {
  const dir = moduleDirOf(path, host);
  const cache = new FileCache(host);
  const roots = host.workspaceRoots.length ? host.workspaceRoots : [dir];
  const ctx: LoadContext = { host, cache, roots, resources: [], notes: [] };
  const filePath = host.isDirectory(path) ? undefined : resolve(path);
  const { tf, tfvars } = moduleFilePaths(host, dir, filePath);
  const root = loadModule(ctx, dir, tf, [], [dir], { loop: false, conditional: false });
  return { ctx, dir, root, tf, tfvars };
}

function buildUnit(path: string, host: FileHost): Unit {
  const { ctx, dir, root, tf, tfvars } = loadModules(path, host);
  const { cache } = ctx;

  // Variable values: terraform.tfvars, then *.auto.tfvars alphabetically; later files win.
  const applied = [
    ...tfvars.filter((p) => basename(p) === 'terraform.tfvars'),
    ...tfvars.filter((p) => p.endsWith('.auto.tfvars')).sort(),
  ];
  for (const p of tfvars) cache.get(p); // every .tfvars of the folder is read and reported
  for (const p of applied) {
    const f = cache.get(p);
    if (!f) continue;
    for (const item of f.tree.body.items) {
      if (item.kind === 'Attribute') root.bindings.set(item.name.text, { attr: item, file: f });
    }
  }

  const modules: ModuleInstance[] = [];
  const collect = (m: ModuleInstance) => {
    modules.push(m);
    for (const call of m.modules.values()) if (call.instance) collect(call.instance);
  };
  collect(root);

  const azurerm = azurermVersionOf(ctx, dir, modules);
  const evaluator = new Evaluator();
  for (const mod of modules) {
    for (const decl of mod.resources.values()) {
      const r = decl.resource;
      const scope: Scope = { mod, file: decl.file };
      try {
        const copies = lowerResource(r, decl.block.body, scope, evaluator);
        if (copies.length > 0) ctx.resources.splice(ctx.resources.indexOf(r) + 1, 0, ...copies);
        if (providerOfType(decl.type) === 'azurerm' && azurerm) for (const c of copies) c.providerVersion = azurerm;
      } catch (err) {
        // An evaluation bug must not lose the unit; the resource keeps an empty body.
        r.body = { kind: 'object', props: [], block: true, loc: { file: r.file, span: decl.block.body.span } };
        void err;
      }
      if (providerOfType(decl.type) === 'azurerm' && azurerm) r.providerVersion = azurerm;
    }
  }

  const ownFiles = [...tf, ...tfvars].filter((p) => cache.files.has(p));
  const unit: Unit = {
    root: dir,
    dialect: 'terraform',
    files: [...cache.files.values()].map((f) => f.source),
    ownFiles,
    resources: ctx.resources,
  };
  if (ctx.notes.length > 0) unit.notes = ctx.notes;
  return unit;
}

/** Most instances of a `for_each` over a known collection that are lowered one by one. */
const MAX_FOR_EACH_ITEMS = 32;

/**
 * Lowers a resource's body. A `for_each` over a known collection gives one instance per element
 * (the first is `r`, the others are returned as copies); over an empty one, nothing is deployed.
 */
function lowerResource(r: Resource, body: import('../../syntax/hcl').Body, scope: Scope, evaluator: Evaluator): Resource[] {
  const attrs = new Map(body.items.flatMap((i) => (i.kind === 'Attribute' ? [[i.name.text, i] as const] : [])));
  const forEachAttr = attrs.get('for_each');
  if (forEachAttr && !attrs.has('count')) {
    const coll = evaluator.evaluate(forEachAttr.expr, scope);
    let pairs: [Value, Value][] | undefined;
    if (coll.kind === 'object') pairs = coll.props.map((p) => [{ kind: 'string', value: p.key }, p.value]);
    else if (coll.kind === 'array' && coll.items.every((v) => v.kind === 'string')) pairs = coll.items.map((v) => [v, v]);
    else if (coll.kind === 'null') pairs = [];
    if (pairs && pairs.length === 0) {
      r.noCopies = true;
      r.loop = true;
    } else if (pairs && pairs.length <= MAX_FOR_EACH_ITEMS) {
      const copies: Resource[] = [];
      pairs.forEach(([key, value], i) => {
        const each: Value = { kind: 'object', props: [{ key: 'key', value: key }, { key: 'value', value }] };
        const instance: Resource = i === 0 ? r : { ...r, id: `${r.id}[${key.kind === 'string' ? JSON.stringify(key.value) : i}]`, body: { ...r.body, props: [] } };
        instance.loop = true;
        lowerInstance(instance, body, { ...scope, names: new Map([...(scope.names ?? []), ['each', each]]) }, evaluator, attrs);
        if (i > 0) copies.push(instance);
      });
      return copies;
    }
  }
  lowerInstance(r, body, scope, evaluator, attrs);
  return [];
}

function lowerInstance(
  r: Resource,
  body: import('../../syntax/hcl').Body,
  scope: Scope,
  evaluator: Evaluator,
  attrs: Map<string, import('../../syntax/hcl').Attribute>,
): void {
  const names = new Map<string, import('../../model/types').Value>();
  const count = attrs.get('count');
  const forEach = attrs.get('for_each');
  if (count) {
    const v = evaluator.evaluate(count.expr, scope);
    if (v.kind === 'number') {
      if (v.value === 0) r.conditional = true;
      else if (v.value > 1) r.loop = true;
    } else if (count.expr.kind === 'Conditional') r.conditional = true;
    else r.loop = true;
    names.set('count', { kind: 'unknown', reason: 'count.index differs per instance' });
  }
  if (forEach && !scope.names?.has('each')) {
    r.loop = true;
    names.set('each', { kind: 'unknown', reason: 'each.key / each.value differ per instance' });
  }
  const bodyScope: Scope = names.size ? { ...scope, names: new Map([...(scope.names ?? []), ...names]) } : scope;
  const obj = evaluator.body(body, bodyScope);
  r.body.props = obj.props;
  r.body.loc = obj.loc;
  if (r.sourceType === 'azapi_resource' || r.sourceType === 'azapi_update_resource') lowerAzapi(r, attrs.get('body'), bodyScope, evaluator);
}

/**
 * `azapi_resource` with `type = "Microsoft.X/y@version"` is read like an ARM resource of that type:
 * its `body` (an object, or `jsonencode(...)` of one) holds `properties`, `sku`…, `name` is its name
 * and `parent_id` its parent or scope.
 */
function lowerAzapi(r: Resource, bodyAttr: import('../../syntax/hcl').Attribute | undefined, scope: Scope, evaluator: Evaluator): void {
  const typeProp = r.body.props.find((p) => p.key === 'type');
  const typeText = typeProp?.value.kind === 'string' ? typeProp.value.value : undefined;
  const m = typeText ? /^([A-Za-z0-9]+\.[A-Za-z0-9.]+\/[^@]+)@(.+)$/.exec(typeText.trim()) : null;
  if (!m) return;
  const attrs = r.body;
  let body: Value | undefined;
  if (bodyAttr) {
    const e = bodyAttr.expr;
    const inner = e.kind === 'FunctionCall' && e.name.length === 1 && e.name[0].text === 'jsonencode' && e.args.length === 1 ? e.args[0] : e;
    body = evaluator.evaluate(inner, scope);
  }
  const props: Property[] = [];
  const name = attrs.props.find((p) => p.key === 'name');
  if (name) props.push(name);
  const location = attrs.props.find((p) => p.key === 'location');
  if (location) props.push(location);
  if (body?.kind === 'object') props.push(...body.props);
  else if (body) props.push({ key: 'properties', value: body.kind === 'unknown' ? body : { kind: 'unknown', reason: 'body is not an object', loc: body.loc } });
  r.kind = m[1];
  r.apiVersion = m[2];
  r.schema = 'arm';
  r.body = { kind: 'object', props, loc: body?.loc ?? attrs.loc, handle: body?.kind === 'object' ? body.handle : undefined };
  const parent = attrs.props.find((p) => p.key === 'parent_id')?.value;
  if (parent) {
    r.scope = parent;
    if (parent.kind === 'ref' && m[1].toLowerCase().startsWith(parent.target.kind.toLowerCase() + '/')) r.parent = parent.target;
  }
}
