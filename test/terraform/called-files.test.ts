// Finding the module files a Terraform folder's unit reads without lowering its resources (the
// deployment index does this for every scanned .tf file) must name exactly what loading the unit reads.
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { calledFiles, diskHost, mayCallModules } from '../../server/src/engine';
import { loadTerraformUnit, terraformCalledFiles } from '../../server/src/frontends/terraform/load';
import { corpusFiles, corpusOrSkip } from '../helpers/corpus';
import { memoryHost } from './memhost';

const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();

describe('terraformCalledFiles', () => {
  it('follows nested local modules, not remote sources, cycles, missing folders or folders outside the workspace', () => {
    const host = memoryHost({
      '/ws/root/main.tf':
        'module "a" {\n  source = "../mods/a"\n}\nmodule "r" {\n  source = "Azure/avm-res-x/azurerm"\n}\nmodule "gone" {\n  source = "./missing"\n}\nmodule "out" {\n  source = "../../outside"\n}\n',
      '/ws/root/terraform.tfvars': 'x = 1\n',
      '/ws/mods/a/main.tf': 'module "b" {\n  source = "../b"\n}\n',
      '/ws/mods/a/vars.tf': 'variable "x" {}\n',
      '/ws/mods/b/main.tf': 'module "a" {\n  source = "../a"\n}\nresource "azurerm_storage_account" "s" {\n  name = "s"\n}\n',
      '/outside/main.tf': 'resource "azurerm_storage_account" "s" {\n  name = "s"\n}\n',
    });
    const expected = sorted(calledFiles(loadTerraformUnit('/ws/root/main.tf', host)));
    assert.deepEqual(expected, ['/ws/mods/a/main.tf', '/ws/mods/a/vars.tf', '/ws/mods/b/main.tf']);
    assert.deepEqual(sorted(terraformCalledFiles('/ws/root/main.tf', host)), expected);
    // A .tfvars file's unit is its folder's.
    assert.deepEqual(sorted(terraformCalledFiles('/ws/root/terraform.tfvars', host)), expected);
  });

  it('names the same files as loading the unit, for every corpus folder that calls modules', (t) => {
    const corpus = corpusOrSkip();
    if ('skip' in corpus) return t.skip(corpus.skip);
    const host = diskHost([corpus.root]);
    const folders = new Set<string>();
    let callers = 0;
    for (const f of corpusFiles('', (n) => n.endsWith('.tf'))) {
      const text = host.readFile(f);
      if (text === undefined || !mayCallModules(f, text) || folders.has(dirname(f))) continue;
      folders.add(dirname(f));
      callers++;
      assert.deepEqual(sorted(terraformCalledFiles(f, host)), sorted(calledFiles(loadTerraformUnit(f, host))), f);
    }
    assert.ok(callers > 20, `${callers} folders call modules`);
  });
});
