import { startSdk } from './start.js';

/** The metrics-only SDK the facade starts when it is used without register. */
export async function startMinimal(): Promise<void> {
  await startSdk({ mode: 'minimal' });
}
