import { z } from 'zod';
import { textPattern } from './service-schema.ts';

const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export const httpRequestSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('What the request checks, for the feedback.'),
    method: z.enum(httpMethods).default('GET'),
    url: z.url().describe('Full URL, e.g. http://127.0.0.1:3000/api/items.'),
    headers: z.record(z.string(), z.string()).default({}).describe('Request headers.'),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
      .optional()
      .describe('Request body; an object or array is sent as JSON.'),
    expect: z
      .strictObject({
        status: z
          .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)])
          .default(200)
          .describe('Expected status, or any of a list.'),
        headers: z.record(z.string(), textPattern).default({}).describe('Response headers that must match.'),
        json: z
          .record(z.string(), z.unknown())
          .default({})
          .describe('JSONata paths into the JSON body and the values they must equal.'),
        body: textPattern.optional().describe('Text the body must contain (or /regex/).'),
      })
      .prefault({}),
  })
  .describe('One HTTP request and what its response must be.');

export const httpSchema = z
  .array(httpRequestSchema)
  .min(1)
  .describe('Requests made in order; every mismatch is reported, and a connection that fails stops the rest.');

export const browserSchema = z
  .strictObject({
    script: z
      .string()
      .min(1)
      .describe(
        "ES module, relative to the gate's cwd, whose default export is `async ({ page, step, baseURL }) => {...}` (playwright-core Page; `step(name, fn)` names what a failure was doing).",
      ),
    url: z
      .url()
      .optional()
      .describe("Passed to the script as baseURL; the page's relative goto() resolves against it."),
    executable: z
      .string()
      .min(1)
      .default('/usr/bin/chromium')
      .describe('Chromium to drive (the system one by default).'),
  })
  .describe('A Playwright script run against the system Chromium; a failure names its step and saves a screenshot.');

export type HttpRequestConfig = z.output<typeof httpRequestSchema>;
export type BrowserConfig = z.output<typeof browserSchema>;
