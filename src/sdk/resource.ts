import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
  type Resource,
  type ResourceDetector,
} from '@opentelemetry/resources';
import { diag } from '@opentelemetry/api';
import { envList, envString } from './env.js';
import { PACKAGE_NAME } from '../package-info.js';

// The detectors of @opentelemetry/auto-instrumentations-node minus the cloud ones: those probe
// metadata endpoints, cost startup time and print warnings when there is no cloud.
const DETECTORS: Record<string, ResourceDetector> = {
  env: envDetector,
  host: hostDetector,
  os: osDetector,
  process: processDetector,
  serviceinstance: serviceInstanceIdDetector,
};
const DEFAULT_DETECTORS = ['env', 'host', 'os', 'process', 'serviceinstance'];

export async function buildResource(): Promise<Resource> {
  let names = envList('OTEL_NODE_RESOURCE_DETECTORS') ?? DEFAULT_DETECTORS;
  if (names.includes('all')) names = Object.keys(DETECTORS);
  if (names.includes('none')) names = [];
  const detectors: ResourceDetector[] = [];
  for (const n of names) {
    const d = DETECTORS[n];
    if (d) detectors.push(d);
    else diag.warn(`${PACKAGE_NAME}: resource detector "${n}" is not available here; ignored`);
  }
  const serviceName = envString('OTEL_SERVICE_NAME');
  let resource = defaultResource().merge(detectResources({ detectors }));
  if (serviceName !== undefined) resource = resource.merge(resourceFromAttributes({ 'service.name': serviceName }));
  await resource.waitForAsyncAttributes?.();
  // process.command_args can hold credentials passed on the command line; it never leaves the process.
  const attrs = { ...resource.attributes };
  delete attrs['process.command_args'];
  delete attrs['process.command_line'];
  return resourceFromAttributes(attrs, { schemaUrl: resource.schemaUrl });
}
