// The Bicep front end: `.bicep` templates (with their local modules) and `.bicepparam` files
// (analysed as the template their `using` names, with their values bound).
import { bicepEdits } from '../fixes/bicep';
import { bicepCalledFiles, loadBicepUnit } from './bicep/lower';
import type { FrontEnd } from './types';

export const bicepFrontEnd: FrontEnd = {
  dialect: 'bicep',
  accepts(path: string): boolean {
    return /\.(bicep|bicepparam)$/i.test(path);
  },
  loadUnit: loadBicepUnit,
  calledFiles: bicepCalledFiles,
  edits: bicepEdits,
};
