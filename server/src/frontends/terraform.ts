// The Terraform front end: `.tf` and `.tfvars` files; a unit is a module folder with its tfvars
// and the local modules it calls.
import { terraformEdits } from '../fixes/terraform';
import { loadTerraformUnit, terraformCalledFiles } from './terraform/load';
import type { FrontEnd } from './types';

export const terraformFrontEnd: FrontEnd = {
  dialect: 'terraform',
  accepts(path: string): boolean {
    return /\.(tf|tfvars)$/i.test(path);
  },
  loadUnit: loadTerraformUnit,
  calledFiles: terraformCalledFiles,
  edits: terraformEdits,
};
