const bars = '▁▂▃▄▅▆▇█';

/** Values as a row of block characters, lowest to highest; a flat series is a flat row. */
export function sparkline(values: number[]): string {
  if (values.length === 0) return '';
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low;
  return values
    .map((value) => bars[span === 0 ? 3 : Math.round(((value - low) / span) * (bars.length - 1))] ?? '')
    .join('');
}

/** A number with about three significant digits, never in exponent form for everyday sizes. */
export function formatMeasure(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1000 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2).replace(/\.?0+$/, '');
  return value.toPrecision(3);
}
