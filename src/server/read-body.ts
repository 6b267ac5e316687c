import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './http-error.ts';

/** Bodies are small: a goal, a reason, some feedback. */
export const maxBodyBytes = 256 * 1024;

/** The request's JSON body, checked against `schema`; malformed or wrong bodies are 400s that say why. */
export async function readJsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBodyBytes) throw new HttpError(413, 'TOO_LARGE', `the body is over ${maxBodyBytes} bytes`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxBodyBytes)
    throw new HttpError(413, 'TOO_LARGE', `the body is over ${maxBodyBytes} bytes`);
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'BAD_JSON', `the body is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `invalid body: ${where}${issue?.message ?? 'not what this endpoint takes'}`,
    );
  }
  return parsed.data;
}

/** A whole number from the query string, or undefined when absent; anything else is a 400. */
export function queryInteger(c: Context, name: string, bounds: { min: number; max: number }): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new HttpError(400, 'BAD_REQUEST', `${name} must be a whole number`);
  const value = Number(raw);
  if (value < bounds.min || value > bounds.max) {
    throw new HttpError(400, 'BAD_REQUEST', `${name} must be between ${bounds.min} and ${bounds.max}`);
  }
  return value;
}
