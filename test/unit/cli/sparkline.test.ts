import { describe, expect, it } from 'vitest';
import { formatMeasure, sparkline } from '../../../src/cli/output/sparkline.ts';

describe('sparkline', () => {
  it('maps the lowest value to the lowest bar and the highest to the highest', () => {
    expect(sparkline([40, 30, 20, 40])).toBe('█▅▁█');
    expect(sparkline([5, 5])).toBe('▄▄');
    expect(sparkline([])).toBe('');
  });

  it('formats measures with about three significant digits', () => {
    expect(formatMeasure(40)).toBe('40');
    expect(formatMeasure(40.123)).toBe('40.12');
    expect(formatMeasure(123.456)).toBe('123.5');
    expect(formatMeasure(12345.6)).toBe('12,346');
    expect(formatMeasure(0.01234)).toBe('0.0123');
  });
});
