import { renderConfigDocs } from '../../config/config-docs.ts';
import { configJsonSchema } from '../../config/json-schema.ts';
import { declareCommand } from '../declare-command.ts';
import { writeOut } from '../output/write.ts';

/** `sluice schema`: print the JSON Schema generated from the zod config schema. */
export const command = declareCommand({
  name: 'schema',
  description: 'For editors: add "# yaml-language-server: $schema=<path>" at the top of sluice.yaml.',
  flags: { markdown: { type: 'boolean', description: 'Print the config reference as Markdown instead' } },
  async run(values) {
    if (values.markdown) writeOut(renderConfigDocs());
    else writeOut(JSON.stringify(configJsonSchema(), null, 2));
    return 0;
  },
});

export const run = command.run;
