import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { SENSITIVE_QUERY_PARAMS, redactFetchUrl } from './redaction.js';
import { getConfig } from '../config/index.js';

// Every instrumentation register knows, under the names of @opentelemetry/auto-instrumentations-node
// (its package name without "@opentelemetry/instrumentation-"), so OTEL_NODE_ENABLED_INSTRUMENTATIONS
// and OTEL_NODE_DISABLED_INSTRUMENTATIONS carry over, with its defaults (what it leaves off is `off`).
//
// `modules` are the modules an instrumentation patches (its module definitions; a test keeps the
// two equal). Until the app loads one of them, the instrumentation's package is neither loaded
// nor constructed (lazy-instrumentations.ts). The `require` calls are literal so the build can
// point each at its own small bundle (scripts/postbuild.mjs); register runs only as that bundle.

declare const require: (id: string) => unknown;

export interface InstrumentationEntry {
  /** Module names whose first load activates it; empty: created at start when `eager`. */
  readonly modules: readonly string[];
  /** Load the package and construct the instrumentation (enabled, as constructors do); none: run elsewhere. */
  readonly create?: () => Instrumentation;
  /** Off unless named in OTEL_NODE_ENABLED_INSTRUMENTATIONS (upstream's default exclusions). */
  readonly off?: true;
  /** Created at start: no module load to wait for (built-ins every app uses, runtime metrics). */
  readonly eager?: true | (() => boolean);
  /** What the entry covers when it is not a library (shown by /status and the docs). */
  readonly note?: string;
}

type Ctor = new (config?: object) => Instrumentation;

/** `new mod[className](config)`; a missing class throws, and activation reports it by name. */
function make(mod: unknown, className: string, config?: object): Instrumentation {
  const C = (mod as Record<string, Ctor | undefined>)[className];
  if (typeof C !== 'function') throw new Error(`the package exports no ${className}`);
  return new C(config);
}

export const INSTRUMENTATIONS: Readonly<Record<string, InstrumentationEntry>> = {
  amqplib: { modules: ['amqplib'], create: () => make(require('@opentelemetry/instrumentation-amqplib'), 'AmqplibInstrumentation') },
  'aws-lambda': {
    // Patches the handler module named by the Lambda runtime's environment: created at start there.
    modules: [],
    eager: () => getConfig().runtime.lambda,
    create: () => make(require('@opentelemetry/instrumentation-aws-lambda'), 'AwsLambdaInstrumentation'),
    note: 'the AWS Lambda handler (created only when LAMBDA_TASK_ROOT and _HANDLER are set)',
  },
  'aws-sdk': {
    modules: ['@aws-sdk/middleware-stack', '@smithy/middleware-stack', '@smithy/core', '@aws-sdk/smithy-client', '@smithy/smithy-client'],
    create: () => make(require('@opentelemetry/instrumentation-aws-sdk'), 'AwsInstrumentation'),
  },
  bunyan: { modules: ['bunyan'], create: () => make(require('@opentelemetry/instrumentation-bunyan'), 'BunyanInstrumentation') },
  'cassandra-driver': {
    modules: ['cassandra-driver'],
    create: () => make(require('@opentelemetry/instrumentation-cassandra-driver'), 'CassandraDriverInstrumentation'),
  },
  connect: { modules: ['connect'], create: () => make(require('@opentelemetry/instrumentation-connect'), 'ConnectInstrumentation') },
  cucumber: {
    modules: ['@cucumber/cucumber'],
    create: () => make(require('@opentelemetry/instrumentation-cucumber'), 'CucumberInstrumentation'),
  },
  dataloader: {
    modules: ['dataloader'],
    create: () => make(require('@opentelemetry/instrumentation-dataloader'), 'DataloaderInstrumentation'),
  },
  dns: { modules: ['dns', 'dns/promises'], create: () => make(require('@opentelemetry/instrumentation-dns'), 'DnsInstrumentation') },
  express: { modules: ['express'], create: () => make(require('@opentelemetry/instrumentation-express'), 'ExpressInstrumentation') },
  // Not an @opentelemetry/instrumentation-* package (upstream dropped instrumentation-fastify for it).
  fastify: {
    modules: ['fastify'],
    create: () => make(require('@fastify/otel'), 'FastifyOtelInstrumentation', { registerOnInitialization: true }),
  },
  fs: { modules: ['fs', 'fs/promises'], off: true, create: () => make(require('@opentelemetry/instrumentation-fs'), 'FsInstrumentation') },
  'generic-pool': {
    modules: ['generic-pool'],
    create: () => make(require('@opentelemetry/instrumentation-generic-pool'), 'GenericPoolInstrumentation'),
  },
  graphql: { modules: ['graphql'], create: () => make(require('@opentelemetry/instrumentation-graphql'), 'GraphQLInstrumentation') },
  grpc: { modules: ['@grpc/grpc-js'], create: () => make(require('@opentelemetry/instrumentation-grpc'), 'GrpcInstrumentation') },
  hapi: { modules: ['@hapi/hapi'], create: () => make(require('@opentelemetry/instrumentation-hapi'), 'HapiInstrumentation') },
  'host-metrics': {
    // Upstream leaves it off; here the system metrics (src/sdk/system-metrics.ts) run it, on by
    // default (MONITORING_SYSTEM_METRICS). Both lists accept the name; disabling it turns them off.
    modules: [],
    note: 'system.* and process.* metrics, run by MONITORING_SYSTEM_METRICS (on by default)',
  },
  http: {
    modules: ['http', 'https'],
    eager: true,
    note: 'node:http and node:https (the monitoring server loads them at start)',
    create: () =>
      new HttpInstrumentation({
        // The monitoring server's own routes would otherwise flood traces with probe requests.
        ignoreIncomingRequestHook: (req) => (req.socket as { __monitoring?: boolean } | null)?.__monitoring === true,
        // ?password=… / ?api_key=… in a request URL must not reach url.query / url.full.
        redactedQueryParams: SENSITIVE_QUERY_PARAMS,
        redactedQueryParamsServer: SENSITIVE_QUERY_PARAMS,
      }),
  },
  ioredis: { modules: ['ioredis'], create: () => make(require('@opentelemetry/instrumentation-ioredis'), 'IORedisInstrumentation') },
  kafkajs: { modules: ['kafkajs'], create: () => make(require('@opentelemetry/instrumentation-kafkajs'), 'KafkaJsInstrumentation') },
  knex: { modules: ['knex'], create: () => make(require('@opentelemetry/instrumentation-knex'), 'KnexInstrumentation') },
  koa: { modules: ['koa'], create: () => make(require('@opentelemetry/instrumentation-koa'), 'KoaInstrumentation') },
  'lru-memoizer': {
    modules: ['lru-memoizer'],
    create: () => make(require('@opentelemetry/instrumentation-lru-memoizer'), 'LruMemoizerInstrumentation'),
  },
  memcached: {
    modules: ['memcached'],
    create: () => make(require('@opentelemetry/instrumentation-memcached'), 'MemcachedInstrumentation'),
  },
  mongodb: { modules: ['mongodb'], create: () => make(require('@opentelemetry/instrumentation-mongodb'), 'MongoDBInstrumentation') },
  mongoose: { modules: ['mongoose'], create: () => make(require('@opentelemetry/instrumentation-mongoose'), 'MongooseInstrumentation') },
  mysql: { modules: ['mysql'], create: () => make(require('@opentelemetry/instrumentation-mysql'), 'MySQLInstrumentation') },
  mysql2: { modules: ['mysql2'], create: () => make(require('@opentelemetry/instrumentation-mysql2'), 'MySQL2Instrumentation') },
  'nestjs-core': {
    modules: ['@nestjs/core'],
    create: () => make(require('@opentelemetry/instrumentation-nestjs-core'), 'NestInstrumentation'),
  },
  net: { modules: ['net'], create: () => make(require('@opentelemetry/instrumentation-net'), 'NetInstrumentation') },
  openai: { modules: ['openai'], create: () => make(require('@opentelemetry/instrumentation-openai'), 'OpenAIInstrumentation') },
  oracledb: { modules: ['oracledb'], create: () => make(require('@opentelemetry/instrumentation-oracledb'), 'OracleInstrumentation') },
  pg: { modules: ['pg', 'pg-pool'], create: () => make(require('@opentelemetry/instrumentation-pg'), 'PgInstrumentation') },
  pino: { modules: ['pino'], create: () => make(require('@opentelemetry/instrumentation-pino'), 'PinoInstrumentation') },
  redis: {
    modules: ['redis', '@redis/client', '@node-redis/client'],
    create: () => make(require('@opentelemetry/instrumentation-redis'), 'RedisInstrumentation'),
  },
  restify: { modules: ['restify'], create: () => make(require('@opentelemetry/instrumentation-restify'), 'RestifyInstrumentation') },
  router: { modules: ['router'], create: () => make(require('@opentelemetry/instrumentation-router'), 'RouterInstrumentation') },
  'runtime-node': {
    modules: [],
    eager: true,
    note: 'event loop, heap and GC metrics of the runtime',
    create: () => new RuntimeNodeInstrumentation({ monitoringPrecision: 10 }),
  },
  'socket.io': {
    modules: ['socket.io'],
    create: () => make(require('@opentelemetry/instrumentation-socket.io'), 'SocketIoInstrumentation'),
  },
  tedious: { modules: ['tedious'], create: () => make(require('@opentelemetry/instrumentation-tedious'), 'TediousInstrumentation') },
  undici: {
    modules: [],
    eager: true,
    note: "Node's fetch and undici (diagnostics channels, no module to wait for)",
    // fetch's url.full / url.query: the same names redacted as for node:http.
    create: () => new UndiciInstrumentation({ startSpanHook: redactFetchUrl }),
  },
  winston: { modules: ['winston'], create: () => make(require('@opentelemetry/instrumentation-winston'), 'WinstonInstrumentation') },
};

export const INSTRUMENTATION_NAMES: readonly string[] = Object.keys(INSTRUMENTATIONS);
