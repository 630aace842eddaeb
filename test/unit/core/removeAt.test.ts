import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { removeAt } from '../../../src/core/removeAt.js';

describe('removeAt', () => {
  it('removes one element in place and keeps the others in order, like splice(i, 1)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 20 }), fc.integer({ min: -3, max: 23 }), (xs, i) => {
        const list = [...xs];
        const expected = [...xs];
        if (i >= 0 && i < expected.length) expected.splice(i, 1);
        removeAt(list, i);
        expect(list).toEqual(expected);
      }),
    );
  });

  it('leaves the list alone for an index not in it (indexOf gave -1)', () => {
    const list = ['a', 'b'];
    removeAt(list, -1);
    removeAt(list, 2);
    expect(list).toEqual(['a', 'b']);
  });
});
