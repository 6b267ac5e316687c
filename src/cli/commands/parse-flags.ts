import { UsageError } from '../../errors.ts';

/** A flag value that must be a whole number >= 1. */
export function parsePositiveInt(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`${flag} expects a whole number >= 1, got "${value}"`);
  return number;
}
