import { readConfigModel } from './file.js';
import { resolveFromFile } from './from-file.js';
import type { Env } from './env.js';
import type { ResolvedConfig } from './types.js';

/** The configuration from the file `file`; throws ConfigFileError when it cannot be used. */
export function loadFromFile(file: string, env: Env): ResolvedConfig {
  return resolveFromFile(file, readConfigModel(file), env);
}
