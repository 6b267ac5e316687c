import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCents, linePrice } from '../src/pricing.js';

describe('linePrice', () => {
  it('multiplies unit price by quantity', () => {
    assert.equal(linePrice(250, 3), 750);
  });

  it('gives 10% off from 10 items', () => {
    assert.equal(linePrice(100, 10), 900);
  });

  it('rejects a negative quantity', () => {
    assert.throws(() => linePrice(100, -1), RangeError);
  });
});

describe('formatCents', () => {
  it('prints two decimals', () => {
    assert.equal(formatCents(1234), '12.34');
  });
});
