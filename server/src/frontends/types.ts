// The contract each dialect front end fulfils: find the files of a unit, parse them losslessly,
// lower them into the resource model, and render fix intents as text edits.
import type { Dialect, SourceFile, Unit } from '../model/types';
import type { FixIntent } from '../fixes/intent';
import type { RenderContext } from '../fixes/common';
import type { TextEdit } from '../text';

/** File access for front ends; the LSP overlays open documents, the CLI reads the disk. */
export interface FileHost {
  /** File text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** Names of the entries of a folder, or undefined when it is not a folder. */
  readDir(path: string): string[] | undefined;
  isDirectory(path: string): boolean;
  /** Folders that file references (Bicep modules, Terraform module sources) must stay inside. */
  workspaceRoots: string[];
  /** The real path (links resolved) of an existing path, when the host is a file system. */
  realPath?(path: string): string | undefined;
}

export interface RenderedFix {
  edits: TextEdit[];
  /** Where the change lands when not in the finding's own place, for the fix title (e.g. `default of param 'access'`, `terraform.tfvars`). */
  where?: string;
}

export interface EditBuilder {
  /**
   * Renders an intent as minimal edits, or undefined when it cannot be applied safely. `ctx`
   * carries what earlier intents of the same fix created (new parameters and resources).
   */
  render(intent: FixIntent, unit: Unit, ctx?: RenderContext): RenderedFix | undefined;
  /**
   * When `edit` replaces the whole default of one parameter of a called module: the same value
   * passed instead as an argument of the module call `call.name` in `call.file`, which changes
   * that caller's deployment only. Undefined for any other edit, or when the call cannot take the
   * argument as written (its arguments are not a literal object, or already name the parameter).
   */
  bindArgument?(unit: Unit, edit: TextEdit, call: ModuleCall): CallArgument | undefined;
}

/** A module call: the Bicep `module` / Terraform `module` block / ARM deployment named `name` in `file`. */
export interface ModuleCall {
  file: string;
  name: string;
}

/** An argument a module call gains. */
export interface CallArgument {
  /** The parameter (Terraform: variable) it sets. */
  param: string;
  edits: TextEdit[];
}

export interface FrontEnd {
  dialect: Dialect;
  /** Whether this front end analyses the file (by name; ARM also by its `$schema`). */
  accepts(path: string, text: string): boolean;
  /** Builds the unit the file belongs to. Never throws on bad input. */
  loadUnit(path: string, host: FileHost, options?: LoadOptions): Unit;
  /**
   * The template files `loadUnit(path, host)` would read besides its own (its called modules),
   * found without lowering; when absent, the unit is loaded to find them.
   */
  calledFiles?(path: string, host: FileHost): string[];
  edits: EditBuilder;
}

export type { SourceFile };

export interface LoadOptions {
  /**
   * False: called modules are not loaded (only the file's own unit: its template and parameters
   * files), for a file whose findings come from its callers' deployments. Front ends may ignore it.
   */
  modules?: boolean;
  /**
   * False: the files are parsed, not lowered (no resources), for a scan that only reports the
   * file's syntax errors and notes because its findings come from its callers. Implies no modules.
   * Front ends may ignore it.
   */
  lower?: boolean;
}
