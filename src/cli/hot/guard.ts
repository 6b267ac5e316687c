// `sluice guard` started by bin/sluice.js's fast start: see hot-start.ts.
import * as command from '../commands/guard-command.ts';
import { startHotCommand } from '../hot-start.ts';

startHotCommand(command);
