// The front-end registry: one entry per dialect.
import { armFrontEnd } from './arm';
import { bicepFrontEnd } from './bicep';
import { terraformFrontEnd } from './terraform';
import type { FrontEnd } from './types';

export const FRONT_ENDS: FrontEnd[] = [armFrontEnd, bicepFrontEnd, terraformFrontEnd];

/** The front end that handles a dialect. */
export function frontEndOfDialect(dialect: string): FrontEnd | undefined {
  return FRONT_ENDS.find((f) => f.dialect === dialect);
}
