import type { AttributeValue } from '@opentelemetry/api';
import { getState } from '../state.js';
import { getConfig } from '../config/index.js';

/** Who this process is, as /status, the status page and log lines show it. */
export interface ServiceIdentity {
  name: string;
  version?: AttributeValue;
  namespace?: AttributeValue;
  instanceId?: AttributeValue;
  environment?: AttributeValue;
}

const UNKNOWN = 'unknown_service:node';

/**
 * The service's name: OTEL_SERVICE_NAME, else the SDK resource's `service.name` (which
 * register builds from the same environment and the detectors), else OTEL_RESOURCE_ATTRIBUTES'
 * when no SDK runs, else `unknown_service:node`.
 */
export function serviceName(): string {
  const { resource } = getConfig();
  if (resource.serviceName) return resource.serviceName;
  const n = getState().sdk.resource?.attributes['service.name'];
  if (typeof n === 'string' && n) return n;
  return resource.serviceNameFromAttributes ?? UNKNOWN;
}

/** The service's identity from the SDK resource (when one runs) and the environment. */
export function serviceIdentity(): ServiceIdentity {
  const a = getState().sdk.resource?.attributes ?? {};
  return {
    name: serviceName(),
    version: a['service.version'],
    namespace: a['service.namespace'],
    instanceId: a['service.instance.id'],
    environment: a['deployment.environment.name'] ?? a['deployment.environment'],
  };
}
