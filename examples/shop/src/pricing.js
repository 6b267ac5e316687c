/** Price of `quantity` items at `unitCents`, with 10% off from 10 items. */
export function linePrice(unitCents, quantity) {
  if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError(`bad quantity: ${quantity}`);
  const gross = unitCents * quantity;
  return quantity >= 10 ? Math.round(gross * 0.9) : gross;
}

/** Format cents as "12.34". */
export function formatCents(cents) {
  return (cents / 100).toFixed(2);
}
