// Resources that name the same Azure resource: one kind and deployment scope, and a name that is
// the same literal (case-insensitive, as Azure compares names) or comes from the same declaration
// (a parameter or variable whose value is not known). Bicep and ARM use it for re-deployments and
// `existing` aliases; an index keeps a template with thousands of resources linear.
import type { Resource, Value } from '../model/types';

interface Entry {
  resource: Resource;
  order: number;
  literal: boolean;
}

export class NameIndex {
  private readonly byLiteral = new Map<string, Entry[]>();
  private readonly bySource = new Map<string, Map<object, Entry[]>>();
  private count = 0;

  /** `sourceOf`: the declaration a value comes from (the front end's own record), if any. */
  constructor(private readonly sourceOf: (v: Value) => object | undefined) {}

  /** Adds a declaration; `group` holds what must also be equal (kind, deployment scope). */
  add(resource: Resource, group: string, name: Value): void {
    const entry: Entry = { resource, order: this.count++, literal: name.kind === 'string' };
    if (name.kind === 'string') push(this.byLiteral, `${group}\0${name.value.toLowerCase()}`, entry);
    const source = this.sourceOf(name);
    if (source !== undefined) {
      let sources = this.bySource.get(group);
      if (!sources) this.bySource.set(group, (sources = new Map()));
      push(sources, source, entry);
    }
  }

  /**
   * The first added declaration in `group` whose name is the same as `name` and that `accept`
   * takes: two literals compare as text; otherwise both must come from the same declaration.
   */
  first(group: string, name: Value, accept: (r: Resource) => boolean = () => true): Resource | undefined {
    let best: Entry | undefined;
    const consider = (list: Entry[] | undefined, when: (e: Entry) => boolean) => {
      if (!list) return;
      for (const e of list) {
        if (best && e.order >= best.order) return;
        if (when(e) && accept(e.resource)) {
          best = e;
          return;
        }
      }
    };
    const literal = name.kind === 'string';
    if (literal) consider(this.byLiteral.get(`${group}\0${name.value.toLowerCase()}`), () => true);
    const source = this.sourceOf(name);
    // A literal meets another literal by text only; by source, it meets names that are not literals.
    if (source !== undefined) consider(this.bySource.get(group)?.get(source), (e) => !(literal && e.literal));
    return best?.resource;
  }
}

function push<K>(map: Map<K, Entry[]>, key: K, entry: Entry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}
