#!/usr/bin/env node
// `socketcomm-monitoring config validate [FILE]` and `socketcomm-monitoring config print`
// (package.json "bin"). Runs as the CommonJS build; prints to stdout / stderr and sets the exit
// code, never throws a stack at the user.
import { PACKAGE_NAME } from '../package-info.js';
import { envString } from './env.js';
import { ConfigFileError, toYaml } from './file.js';
import { loadFromFile } from './load-file.js';
import { resolveConfig } from './index.js';
import { effectiveConfig } from './effective.js';

const USAGE = `usage: socketcomm-monitoring config validate [FILE]   check an OpenTelemetry configuration file (default: $OTEL_CONFIG_FILE)
       socketcomm-monitoring config print             the effective configuration (from $OTEL_CONFIG_FILE or the environment), credentials hidden, as YAML`;

type Out = { out: (s: string) => void; err: (s: string) => void };

function validate(file: string | undefined, io: Out): number {
  const path = file ?? envString('OTEL_CONFIG_FILE');
  if (path === undefined) {
    io.err(`no file given and OTEL_CONFIG_FILE is not set\n${USAGE}`);
    return 1;
  }
  try {
    const config = loadFromFile(path, process.env);
    for (const w of config.warnings) io.err(`warning: ${w}`);
    io.out(`${path}: valid${config.warnings.length ? ` (${config.warnings.length} warning${config.warnings.length > 1 ? 's' : ''})` : ''}`);
    return 0;
  } catch (err) {
    const e = err as Error;
    io.err(`error: ${e instanceof ConfigFileError ? e.message : `${path}: ${e.message}`}`);
    return 1;
  }
}

function print(io: Out): number {
  const config = resolveConfig(process.env);
  for (const w of config.warnings) io.err(`warning: ${w}`);
  io.out(toYaml(effectiveConfig(config)).trimEnd());
  if (config.invalid) {
    io.err(`error: ${config.invalid.message}`);
    return 1;
  }
  return 0;
}

/** Run the command line `args` (without node and the script); returns the exit code. */
export function main(args: readonly string[], io: Out): number {
  const [group, command, ...rest] = args;
  if (group === 'config' && command === 'validate' && rest.length <= 1) return validate(rest[0], io);
  if (group === 'config' && command === 'print' && rest.length === 0) return print(io);
  io.err(`${PACKAGE_NAME}: unknown command ${JSON.stringify(args.join(' '))}\n${USAGE}`);
  return 1;
}

declare const require: { main?: unknown } | undefined;
declare const module: unknown;
if (typeof require !== 'undefined' && require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
  });
}
