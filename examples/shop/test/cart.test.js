import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cart } from '../src/cart.js';

describe('Cart', () => {
  it('sums its lines', () => {
    const cart = new Cart().add('apple', 50, 4).add('pear', 80);
    assert.equal(cart.totalCents(), 280);
  });

  it('merges repeated items into one line', () => {
    const cart = new Cart().add('apple', 50, 6).add('apple', 50, 4);
    assert.equal(cart.totalCents(), 450);
  });

  it('forgets removed items', () => {
    const cart = new Cart().add('apple', 50).remove('apple');
    assert.equal(cart.totalCents(), 0);
  });
});
