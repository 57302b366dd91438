// Hover markdown: the rule behind a finding, the posture of a resource, user text escaped.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, hoverMarkdown } from '../../server/src/engine';
import { escapeMarkdown } from '../../server/src/engine/hover';

const TEMPLATE = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": {
    "ws_[evil](command:workbench.action.quit)*": {
      "type": "Microsoft.Databricks/workspaces",
      "apiVersion": "2024-05-01",
      "name": "w",
      "sku": { "name": "standard" },
      "properties": { "publicNetworkAccess": "[parameters('unset')]" }
    }
  },
  "parameters": { "unset": { "type": "string" } }
}
`;

function analyse() {
  const dir = mkdtempSync(join(tmpdir(), 'bg-hover-'));
  const path = join(dir, 'main.json');
  writeFileSync(path, TEMPLATE);
  return { path, result: analyzePath(path, diskHost([dir]))! };
}

test('hover over a finding: title, why, the secure setting in the dialect, the guidance link', () => {
  const { path, result } = analyse();
  const offset = TEMPLATE.indexOf('"standard"') + 2;
  const md = hoverMarkdown(result, path, offset)!;
  assert.match(md, /\*\*Databricks workspace is not on the Premium tier\*\*/);
  assert.match(md, /Standard and Trial tiers lack/);
  assert.match(md, /```json\n"sku": \{ "name": "premium" \}\n```/);
  assert.match(md, /\(https:\/\/learn\.microsoft\.com\//);
});

test('hover over a resource type: posture per rule, user text escaped, no command links', () => {
  const { path, result } = analyse();
  const md = hoverMarkdown(result, path, TEMPLATE.indexOf('"Microsoft.Databricks/workspaces"') + 3)!;
  assert.match(md, /❌ failed: \[Databricks workspace is not on the Premium tier\]/);
  assert.match(md, /❔ not verifiable: \[Databricks workspace allows public network access\]/);
  assert.match(md, /✅ passed: \[Cluster nodes get public IP addresses\]/);
  assert.match(md, /To verify outside the template/);
  assert.ok(!/\]\(command:/.test(md), 'no command link');
  assert.ok(md.includes(escapeMarkdown('ws_[evil](command:workbench.action.quit)*')));
});

test('no hover away from findings and resource heads', () => {
  const { path, result } = analyse();
  assert.equal(hoverMarkdown(result, path, 2), undefined);
});
