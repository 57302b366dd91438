// The unit results a batch of analyses shares: bounded by results, least recently used dropped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnitResults } from '../../server/src/lsp/server';
import type { AnalysisResult } from '../../server/src/engine/types';

const result = (path: string) => ({ path }) as AnalysisResult;

describe('UnitResults', () => {
  it('keeps at most its capacity of results, dropping every file of the least recently used one', () => {
    const cache = new UnitResults(2);
    const a = result('/w/a/main.tf');
    const b = result('/w/b/main.tf');
    const c = result('/w/c/main.tf');
    cache.set('/w/a/main.tf', a);
    cache.set('/w/a/vars.tf', a);
    cache.set('/w/b/main.tf', b);
    assert.equal(cache.get('/w/a/vars.tf'), a); // a is now more recent than b
    cache.set('/w/c/main.tf', c);
    assert.equal(cache.size, 2);
    assert.equal(cache.has('/w/b/main.tf'), false);
    assert.equal(cache.get('/w/a/main.tf'), a);
    assert.equal(cache.get('/w/a/vars.tf'), a);
    assert.equal(cache.get('/w/c/main.tf'), c);
  });

  it('is unbounded by default', () => {
    const cache = new UnitResults();
    for (let i = 0; i < 100; i++) cache.set(`/w/${i}.tf`, result(`/w/${i}.tf`));
    assert.equal(cache.size, 100);
    assert.equal(cache.get('/w/0.tf')?.path, '/w/0.tf');
  });
});
