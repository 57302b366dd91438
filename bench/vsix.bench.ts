// Size of the packaged extension (brickguard.vsix, built by `npm run package` when missing).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { reportJson } from './report';

const repo = join(__dirname, '..');
const vsix = join(repo, 'brickguard.vsix');
if (!existsSync(vsix)) spawnSync('npm', ['run', 'package'], { cwd: repo, stdio: 'ignore' });
if (existsSync(vsix)) {
  const kb = statSync(vsix).size / 1024;
  console.log(`vsix: ${kb.toFixed(0)} KB`);
  reportJson({ vsix_kb: Math.round(kb) });
} else {
  console.log('vsix: packaging failed, no size');
  reportJson({ vsix_kb: null });
}
