// `sluice check` started by bin/sluice.js's fast start: see hot-start.ts.
import * as command from '../commands/check-command.ts';
import { startHotCommand } from '../hot-start.ts';

startHotCommand(command);
