import { UsageError } from '../errors.ts';

/** A flag value that must be a whole number >= `min`. */
export function parseWholeNumber(value: string, flag: string, min = 1): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < min) {
    throw new UsageError(`${flag} expects a whole number >= ${min}, got "${value}"`);
  }
  return number;
}
