// examples/express-app.js: the middleware behaviour of PySocketCommLib's Python monitoring module in Express.
import { test } from 'node:test';
import { exerciseFrameworkExample } from './framework-checks.js';

test(
  'express-app: counter by status, ms histogram, start/end logs with trace, tracker, error, /monitoring mount, clean stop',
  { timeout: 20000 },
  () => exerciseFrameworkExample('express-app.js', 'express-app listening'),
);
