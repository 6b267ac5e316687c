import { parseArgs } from 'node:util';
import { renderConfigDocs } from '../../config/config-docs.ts';
import { configJsonSchema } from '../../config/json-schema.ts';
import { writeOut } from '../output/write.ts';

const help = `Usage: sluice schema [--markdown]

Print the JSON Schema of sluice.yaml (for editors: add
"# yaml-language-server: $schema=<path>" at the top of the file).

Options:
  --markdown   Print the config reference as Markdown instead`;

/** `sluice schema`: print the JSON Schema generated from the zod config schema. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { help: { type: 'boolean', short: 'h' }, markdown: { type: 'boolean' } },
  });
  if (values.help) writeOut(help);
  else if (values.markdown) writeOut(renderConfigDocs());
  else writeOut(JSON.stringify(configJsonSchema(), null, 2));
  return 0;
}
