import { analyzePath, diskHost } from './server/src/engine';
const paths = process.argv.slice(2);
for (const p of paths) {
  const r = analyzePath(p, diskHost(['/work']));
  for (const f of r?.findings ?? []) console.log(`${f.file.replace('/work/','')}  ${f.ruleId} ${f.severity} [${f.message.length}] ${f.message}\n    related: ${f.related.map((x) => `${x.loc.file.split('/').pop()}@${x.loc.span.start}: ${x.message}`).join(' | ')}`);
}
