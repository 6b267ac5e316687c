import { linePrice } from './pricing.js';

/** A shopping cart: items by SKU, priced line by line. */
export class Cart {
  #lines = new Map();

  add(sku, unitCents, quantity = 1) {
    const line = this.#lines.get(sku) ?? { unitCents, quantity: 0 };
    line.quantity += quantity;
    this.#lines.set(sku, line);
    return this;
  }

  remove(sku) {
    this.#lines.delete(sku);
    return this;
  }

  totalCents() {
    let total = 0;
    for (const { unitCents, quantity } of this.#lines.values()) total += linePrice(unitCents, quantity);
    return total;
  }

  /** Per-line breakdown; it must add up to totalCents(). */
  breakdown() {
    return [...this.#lines].map(([sku, { unitCents, quantity }]) => ({ sku, cents: linePrice(unitCents, quantity) }));
  }
}
