// `sluice hook` started by bin/sluice.js's fast start: see hot-start.ts.
import * as command from '../commands/hook-command.ts';
import { startHotCommand } from '../hot-start.ts';

startHotCommand(command);
