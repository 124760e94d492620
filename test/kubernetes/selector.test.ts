/** Label selectors as kubectl parses and matches them (the documented grammar of apimachinery's pkg/labels). */
import { describe, expect, it } from 'vitest';
import { matches, parseSelector } from './selector.js';

const L = { 'app.kubernetes.io/name': 'my-site', 'app.kubernetes.io/component': 'release', tier: '3' };

describe('label selectors, as kubectl -l', () => {
  it.each([
    ["app.kubernetes.io/component in (config,release)", true],
    ["app.kubernetes.io/component in (config, storage)", false],
    ['app.kubernetes.io/component notin (web)', true],
    // A negative requirement matches objects without the key.
    ['missing notin (a)', true],
    ['missing!=a', true],
    ['app.kubernetes.io/component=release,app.kubernetes.io/name==my-site', true],
    ['app.kubernetes.io/component!=release', false],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['tier>2', true],
    ['tier<3', false],
    ['missing>1', false],
    // The empty value: `k=` and `()`.
    ['missing in ()', false],
    ['x=', false],
    ['', true],
    // Keywords are values in value position.
    ['app.kubernetes.io/component in (in,release)', true],
  ])('%s -> %s', (selector, want) => {
    expect(matches(selector, L)).toBe(want);
  });

  it('an object without labels matches only negative requirements', () => {
    expect(matches('app.kubernetes.io/component in (config,release)', undefined)).toBe(false);
    expect(matches('app.kubernetes.io/component notin (config)', undefined)).toBe(true);
  });

  it.each([
    'a in (b',
    'a in b',
    'a,',
    ',a',
    'a b',
    '!a=b',
    'a>b',
    'a/b/c=d',
    '-a=b',
    `a=${'x'.repeat(64)}`,
    'a=b c',
    'a in (b c)',
  ])('refuses %j', (selector) => {
    expect(() => parseSelector(selector)).toThrow();
  });

  it('parses set and exact requirements, values deduplicated', () => {
    expect(parseSelector('a in (x,,x), b = , !c')).toEqual([
      { key: 'a', op: 'in', values: ['x', ''] },
      { key: 'b', op: '=', values: [''] },
      { key: 'c', op: '!', values: [] },
    ]);
  });
});
