import { ignoreBrokenPipes } from './output/write.ts';
import { runCli } from './run-cli.ts';

ignoreBrokenPipes();
process.exitCode = await runCli(process.argv.slice(2));
