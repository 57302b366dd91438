import type { EditBuilder } from '../types';
export const terraformEdits: EditBuilder = { render: () => undefined };
