import { SluiceError } from '../errors.ts';

/** A step cannot act as written (a cwd outside the repository, an unknown gate): the step fails with this. */
export class StepError extends SluiceError {
  constructor(message: string) {
    super('WORKFLOW_STEP', message);
  }
}
