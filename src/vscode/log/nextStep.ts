import { isGuildVaultError } from '../engine';

/** A button on an error notification that leads somewhere: "Connect Bot Token", "Back Up Now". */
export interface NextStep {
  title: string;
  command: string;
  args?: unknown[];
}

const attached = new WeakMap<object, NextStep>();

/** Marks an error with the step that fixes it; returns the error (for `throw withNextStep(...)`). */
export function withNextStep<E extends object>(error: E, step: NextStep): E {
  attached.set(error, step);
  return error;
}

export const CONNECT_STEP: NextStep = { title: 'Connect Bot Token', command: 'guildVault.connect' };

/** The step attached to an error, else the one its kind always calls for. */
export function nextStepFor(error: unknown): NextStep | undefined {
  if (typeof error === 'object' && error !== null) {
    const step = attached.get(error);
    if (step) return step;
  }
  if (isGuildVaultError(error, 'INVALID_TOKEN')) return { title: 'Connect Bot Token', command: 'guildVault.connect' };
  return undefined;
}
