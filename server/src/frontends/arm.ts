// The ARM JSON front end: `.json`/`.jsonc` files whose `$schema` is a deployment template.
import { armEdits } from '../fixes/arm';
import { isArmTemplateText, loadArmUnit } from './arm/lower';
import type { FrontEnd } from './types';

export const armFrontEnd: FrontEnd = {
  dialect: 'arm',
  accepts(path: string, text: string): boolean {
    return /\.jsonc?$/i.test(path) && !/\.parameters\.jsonc?$/i.test(path) && isArmTemplateText(text);
  },
  loadUnit: loadArmUnit,
  edits: armEdits,
};
