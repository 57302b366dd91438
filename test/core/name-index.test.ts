// NameIndex: the first earlier declaration that names the same Azure resource (re-deployments,
// `existing` aliases), with the comparison the lowerings used pairwise before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NameIndex } from '../../server/src/frontends/names';
import type { Resource, Value } from '../../server/src/model/types';

const res = (id: string): Resource =>
  ({ id, kind: 'Microsoft.Storage/storageAccounts', schema: 'arm', dialect: 'bicep', symbolicName: id, file: '/t.bicep', head: { start: 0, end: 0 }, span: { start: 0, end: 0 }, body: { kind: 'object', props: [] } }) as Resource;
const str = (value: string): Value => ({ kind: 'string', value });
const unknownValue = (): Value => ({ kind: 'unknown', reason: 'a parameter without a value' });

describe('NameIndex', () => {
  it('literal names compare case-insensitively within a group, the first added wins', () => {
    const index = new NameIndex(() => undefined);
    const [a, b, c] = [res('a'), res('b'), res('c')];
    index.add(a, 'g', str('Data'));
    index.add(b, 'g', str('data'));
    index.add(c, 'other', str('data'));
    assert.equal(index.first('g', str('DATA')), a);
    assert.equal(index.first('other', str('data')), c);
    assert.equal(index.first('g', str('data2')), undefined);
    assert.equal(index.first('g', str('data'), (r) => r !== a), b, 'accept skips a declaration');
  });

  it('a name that is not a literal matches only a name from the same declaration', () => {
    const param = {};
    const other = {};
    const sources = new Map<Value, object>();
    const index = new NameIndex((v) => sources.get(v));
    const fromParam = unknownValue();
    const fromOther = unknownValue();
    const literalFromParam = str('x');
    sources.set(fromParam, param);
    sources.set(fromOther, other);
    sources.set(literalFromParam, param);
    const [a, b] = [res('a'), res('b')];
    index.add(a, 'g', fromOther);
    index.add(b, 'g', literalFromParam);
    const probe = unknownValue();
    sources.set(probe, param);
    assert.equal(index.first('g', probe), b, 'a literal from the same parameter matches an unknown from it');
    assert.equal(index.first('g', unknownValue()), undefined, 'an unknown value of no declaration matches nothing');
  });

  it('two literals never match by source: different texts from one declaration are different names', () => {
    const param = {};
    const sources = new Map<Value, object>();
    const index = new NameIndex((v) => sources.get(v));
    const x = str('x');
    const y = str('y');
    sources.set(x, param);
    sources.set(y, param);
    index.add(res('a'), 'g', x);
    assert.equal(index.first('g', y), undefined);
  });

  it('returns the earliest across both ways of matching', () => {
    const param = {};
    const sources = new Map<Value, object>();
    const index = new NameIndex((v) => sources.get(v));
    const [a, b] = [res('a'), res('b')];
    const early = unknownValue();
    sources.set(early, param);
    index.add(a, 'g', early);
    index.add(b, 'g', str('n'));
    const probe = str('n');
    sources.set(probe, param);
    assert.equal(index.first('g', probe), a);
  });
});
