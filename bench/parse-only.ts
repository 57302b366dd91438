// The least a scan must do: walk, read every file and parse it with Brickguard's own parsers (an
// ARM file only when its `$schema` makes it a template). No lowering, no rules, no output.
// Bundled and run by cli.bench.ts as a floor between reading and scanning.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isArmTemplateText } from '../server/src/frontends/arm/lower';
import { parseArm } from '../server/src/syntax/arm/parse';
import { parseBicepUncached } from '../server/src/syntax/bicep/index';
import { parseHclUncached } from '../server/src/syntax/hcl/parser';

function walk(folder: string): void {
  for (const e of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, e.name);
    if (e.isDirectory()) {
      if (!['.git', 'node_modules', '.terraform'].includes(e.name)) walk(path);
      continue;
    }
    if (!/\.(bicep|bicepparam|tf|tfvars|json|jsonc)$/i.test(e.name)) continue;
    const text = readFileSync(path, 'utf8');
    if (/\.bicep(param)?$/i.test(e.name)) parseBicepUncached(text);
    else if (/\.(tf|tfvars)$/i.test(e.name)) parseHclUncached(text);
    else if (isArmTemplateText(text)) parseArm(path, text);
  }
}

walk(process.argv[2]);
