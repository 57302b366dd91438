// Azure reads a workspace's computeMode from API 2025-10-01-preview and 2026-01-01 on (rules.md,
// Serverless workspaces): with an older apiVersion the workspace is classic, whatever it says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasComputeMode } from '../../server/src/rules/support/workspace';

test('computeMode exists from 2025-10-01-preview and from 2026-01-01', () => {
  for (const v of ['2025-10-01-preview', '2025-11-15-preview', '2026-01-01', '2026-03-01-preview', '2027-01-01']) assert.equal(hasComputeMode(v), true, v);
  for (const v of ['2024-05-01', '2025-08-01-preview', '2025-10-01', '2025-12-01']) assert.equal(hasComputeMode(v), false, v);
  // A version that is not a date is not taken for an old one.
  assert.equal(hasComputeMode('latest'), true);
});
