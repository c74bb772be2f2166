// examples/fastify-app.js: the middleware behaviour of PySocketCommLib's Python monitoring module as a Fastify plugin.
import { test } from 'node:test';
import { exerciseFrameworkExample } from './framework-checks.js';

test(
  'fastify-app: counter by status, ms histogram, start/end logs with trace, tracker, error, /monitoring mount, clean stop',
  { timeout: 20000 },
  () => exerciseFrameworkExample('fastify-app.js', 'fastify-app listening'),
);
