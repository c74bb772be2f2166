import * as api from '@opentelemetry/api';
import * as apiLogs from '@opentelemetry/api-logs';
import * as core from '@opentelemetry/core';
import * as instrumentation from '@opentelemetry/instrumentation';
import * as resources from '@opentelemetry/resources';

// The OTel packages register already carries, handed to the packages it loads later
// (instrumentations, propagators, detectors: each built as its own bundle by
// scripts/postbuild.mjs, with these imports pointing here). One InstrumentationBase means one
// require-in-the-middle hook for all instrumentations, and no second copy of core or the API.
export const OTEL_SHARED: Readonly<Record<string, unknown>> = {
  '@opentelemetry/api': api,
  '@opentelemetry/api-logs': apiLogs,
  '@opentelemetry/core': core,
  '@opentelemetry/instrumentation': instrumentation,
  '@opentelemetry/resources': resources,
};
