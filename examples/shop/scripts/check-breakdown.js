// Invariant: the per-line breakdown of a large random cart adds up to its total.
import { Cart } from '../src/cart.js';

const cart = new Cart();
for (let i = 0; i < 500; i++) cart.add(`sku-${i % 37}`, 1 + ((i * 7919) % 5000), 1 + (i % 13));
const sum = cart.breakdown().reduce((total, line) => total + line.cents, 0);
if (sum !== cart.totalCents()) {
  console.error(`src/cart.js: breakdown adds up to ${sum}, total is ${cart.totalCents()}`);
  process.exit(1);
}
console.log(`breakdown of ${cart.breakdown().length} lines adds up to ${sum}`);
