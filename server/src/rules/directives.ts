// Brickguard's own directive rules: findings about suppression directives and configuration.
import type { RuleMeta } from './types';

const SUPPRESSION_DOCS = 'https://learn.microsoft.com/azure/well-architected/service-guides/azure-databricks';

export const UNKNOWN_RULE: RuleMeta = {
  id: 'brickguard-unknown-rule',
  title: 'Directive names a rule that does not exist',
  pass: 'Directives name existing rules',
  severity: 'warning',
  dialects: ['arm', 'bicep', 'terraform'],
  helpUri: SUPPRESSION_DOCS,
  fixable: false,
  kinds: [],
  docs: {
    why: 'A suppression directive or configuration entry that names an unknown rule id suppresses nothing; it is usually a typo that leaves the intended finding visible or hides a mistake.',
    secure: {},
  },
};

export const UNUSED_SUPPRESSION: RuleMeta = {
  id: 'brickguard-unused-suppression',
  title: 'Suppression directive suppresses nothing',
  pass: 'Every suppression directive is used',
  severity: 'information',
  dialects: ['arm', 'bicep', 'terraform'],
  helpUri: SUPPRESSION_DOCS,
  fixable: true,
  kinds: [],
  docs: {
    why: 'The line after this directive has no finding of the named rule, so the directive is stale. Remove it so that a future regression is not silently hidden.',
    secure: {},
  },
};

export const DIRECTIVE_RULES: readonly RuleMeta[] = [UNKNOWN_RULE, UNUSED_SUPPRESSION];
