import * as vscode from 'vscode';
import { DIALECTS, PUBLIC_ACCESS, requireDialect } from './dialects';
import { brickguard, hasCode, lacksCode, open, settle, waitForFindings, writeFile } from './helpers';

// Values supplied by files the user does not have open (.tfvars, ARM parameters files) reach the
// analysis through the client's file watchers (synchronize.fileEvents).
const CASES = [
  {
    dialect: DIALECTS[2],
    template: 'related/terraform/main.tf',
    values: 'related/terraform/terraform.tfvars',
    text: 'public_access = true\n',
  },
  {
    dialect: DIALECTS[0],
    template: 'related/arm/template.json',
    values: 'related/arm/template.parameters.json',
    text: JSON.stringify(
      {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
        contentVersion: '1.0.0.0',
        parameters: { publicNetworkAccess: { value: 'Enabled' } },
      },
      null,
      2,
    ),
  },
];

describe('Values from related files', () => {
  before(async () => {
    await brickguard();
  });

  for (const c of CASES) {
    it(`${c.dialect.dialect}: writing and deleting ${c.values.split('/').pop()} on disk updates the open template`, async function () {
      requireDialect(this, c.dialect);
      const editor = await open(c.template);
      const uri = editor.document.uri;
      await settle(uri);
      await waitForFindings(uri, lacksCode(PUBLIC_ACCESS), 'no finding with the default (private) value');
      const values = await writeFile(c.values, c.text);
      await waitForFindings(uri, hasCode(PUBLIC_ACCESS), `${PUBLIC_ACCESS} once ${c.values} sets public access`);
      await vscode.workspace.fs.delete(values);
      await waitForFindings(uri, lacksCode(PUBLIC_ACCESS), `${PUBLIC_ACCESS} to go when ${c.values} is deleted`);
    });
  }
});
