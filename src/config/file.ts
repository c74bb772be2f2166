import { readFileSync } from 'node:fs';
import type { ConfigurationModel } from '@opentelemetry/configuration';
import type * as Yaml from 'yaml';

// Reading and validating an OpenTelemetry configuration file (OTEL_CONFIG_FILE) with the
// upstream package: its YAML 1.2 parsing (the `yaml` package), its environment substitution
// (`${VAR}`, `${VAR:-default}`, `$$`, as the configuration data model specifies) and its
// pre-compiled validator of the opentelemetry-configuration JSON Schema (file_format 1.x).
// The package's own entry point (createConfigFactory) does the same three steps but reads
// OTEL_CONFIG_FILE itself and turns every failure into one string of all errors; its parts are
// used here so that the error names the file, one path in it, its line and what was expected.
// Its deep paths are pinned by the exact dependency version; test/unit/config/ checks them.
//
// Loaded only when a file is named: yaml and the validator (750 KB of generated code) are not
// what a process without a configuration file should pay for at start.

/** One problem with a configuration file: the file, the path in it (`a.b[0].c`), what is wrong. */
export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${path ? `${path}: ` : ''}${detail}`);
    this.name = 'ConfigFileError';
  }
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

interface Upstream {
  yaml: typeof Yaml;
  substituteEnvVars: (doc: Yaml.Document) => void;
  validate: Validator;
}

let upstream: Upstream | undefined;
// This module runs only as the CommonJS build's copy (src/config/require.ts).
declare const require: (id: string) => unknown;

function load(): Upstream {
  if (upstream) return upstream;
  // Literal require() calls: the build bundles them into dist/lazy/config-file.cjs.
  const utils = require('@opentelemetry/configuration/build/src/utils') as { substituteEnvVars: (doc: Yaml.Document) => void };
  return (upstream = {
    yaml: require('yaml') as typeof Yaml,
    substituteEnvVars: utils.substituteEnvVars,
    validate: require('@opentelemetry/configuration/build/src/generated/validator') as Validator,
  });
}

/** The file_format major version the validator's schema describes (the package accepts 1.x). */
const FILE_FORMAT_MAJOR = 1;

/** JSON pointer `/meter_provider/readers/0/periodic/interval` → `meter_provider.readers[0].periodic.interval`. */
export function dottedPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}

function valueAt(root: unknown, segments: readonly (string | number)[]): unknown {
  let v = root;
  for (const s of segments) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/** What one validator error expected, in words. */
function expectation(e: AjvError, value: unknown): { segments: (string | number)[]; detail: string } {
  const segments = pointerSegments(e.instancePath);
  const got = `, got ${show(value)}`;
  switch (e.keyword) {
    case 'type': {
      const t = e.params.type;
      const types = (Array.isArray(t) ? t : [t]).map(String);
      return { segments, detail: `expected ${types.join(' or ')}${got}` };
    }
    case 'enum':
      return {
        segments,
        detail: `expected one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got}`,
      };
    case 'additionalProperties':
      return {
        segments: [...segments, String(e.params.additionalProperty)],
        detail: 'unknown key here (the schema allows no other keys at this place)',
      };
    case 'required':
      return { segments, detail: `missing the required key "${String(e.params.missingProperty)}"` };
    case 'minProperties':
    case 'maxProperties':
      return { segments, detail: `expected exactly one key naming the ${segments.length ? 'kind' : 'value'}${got}` };
    default:
      return { segments, detail: `${e.message ?? 'invalid'}${got}` };
  }
}

/** The file's contents as JSON values, after environment substitution; throws ConfigFileError. */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigFileError(file, '', `cannot be read (${e.code ?? e.message})`);
  }
  const { yaml, substituteEnvVars, validate } = load();
  const lines = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { version: '1.2', lineCounter: lines, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    throw new ConfigFileError(file, '', `not valid YAML: ${yamlError.message.split('\n')[0]}`, lines.linePos(yamlError.pos[0]).line);
  }
  try {
    substituteEnvVars(doc);
  } catch (err) {
    throw new ConfigFileError(file, '', `${(err as Error).message} (expected \${NAME} or \${NAME:-default})`);
  }
  const data = doc.toJS() as unknown;
  const lineOf = (segments: readonly (string | number)[]): number | undefined => {
    const node = doc.getIn(segments, true) as { range?: [number, number, number] } | undefined;
    const parent = segments.length
      ? (doc.getIn(segments.slice(0, -1), true) as { range?: [number, number, number] } | undefined)
      : undefined;
    const offset = node?.range?.[0] ?? parent?.range?.[0];
    return offset === undefined ? undefined : lines.linePos(offset).line;
  };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigFileError(file, '', `expected a mapping at the top level, got ${show(data)}`);
  }
  const root = data as Record<string, unknown>;
  const format = root.file_format;
  const major = typeof format === 'string' ? Number(format.split('-', 1)[0]!.split('.')[0]) : NaN;
  if (typeof format !== 'string' || major !== FILE_FORMAT_MAJOR) {
    throw new ConfigFileError(
      file,
      'file_format',
      `expected a version "${FILE_FORMAT_MAJOR}.x" (e.g. "1.0"), got ${show(format)}`,
      lineOf(['file_format']),
    );
  }
  if (!validate(root)) {
    const e = validate.errors?.[0];
    if (!e) throw new ConfigFileError(file, '', 'does not match the configuration schema');
    const value = valueAt(root, pointerSegments(e.instancePath));
    const { segments, detail } = expectation(e, value);
    throw new ConfigFileError(file, dottedPath(segments), detail, lineOf(segments));
  }
  return root;
}

/** The validated file as the upstream model (the distribution's own section is checked in from-file.ts). */
export function readConfigModel(file: string): ConfigurationModel {
  return readConfigFile(file) as ConfigurationModel;
}

/** Serialise a value as YAML (for `socketcomm-monitoring config print`). */
export function toYaml(value: unknown): string {
  return load().yaml.stringify(value);
}
