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
import { diag, type Attributes } from '@opentelemetry/api';
import { getConfig } from '../config/index.js';
import { appPackage } from './app-package.js';
import { PACKAGE_NAME } from '../package-info.js';

// The detectors of @opentelemetry/auto-instrumentations-node under its names. The container
// and cloud ones are packages of their own, loaded only when named (each its own bundle, see
// scripts/postbuild.mjs); the cloud ones probe metadata endpoints, so they are off by default:
// no process waits for, or warns about, a cloud it does not run in.
declare const require: (id: string) => unknown;
type Detectors = () => ResourceDetector[];
const pick =
  (mod: () => unknown, ...names: string[]): Detectors =>
  () => {
    const m = mod() as Record<string, ResourceDetector | undefined>;
    return names.map((n) => {
      const d = m[n];
      if (!d) throw new Error(`the package exports no ${n}`);
      return d;
    });
  };

const DETECTORS: Record<string, Detectors> = {
  env: () => [envDetector],
  host: () => [hostDetector],
  os: () => [osDetector],
  process: () => [processDetector],
  serviceinstance: () => [serviceInstanceIdDetector],
  container: pick(() => require('@opentelemetry/resource-detector-container'), 'containerDetector'),
  aws: pick(
    () => require('@opentelemetry/resource-detector-aws'),
    'awsEc2Detector',
    'awsEcsDetector',
    'awsEksDetector',
    'awsBeanstalkDetector',
    'awsLambdaDetector',
  ),
  gcp: pick(() => require('@opentelemetry/resource-detector-gcp'), 'gcpDetector'),
  azure: pick(
    () => require('@opentelemetry/resource-detector-azure'),
    'azureAppServiceDetector',
    'azureFunctionsDetector',
    'azureVmDetector',
  ),
  alibaba: pick(() => require('@opentelemetry/resource-detector-alibaba-cloud'), 'alibabaCloudEcsDetector'),
};
export const DETECTOR_NAMES: readonly string[] = Object.keys(DETECTORS);

/** The detectors the configuration names ("all": every one, as upstream); unknown names warned about once. */
function configuredDetectors(): ResourceDetector[] {
  const { detectors, detectorsWhere } = getConfig().resource;
  let names = [...detectors];
  if (names.includes('none')) return [];
  if (names.includes('all')) names = [...DETECTOR_NAMES];
  const unknown = names.filter((n) => !DETECTORS[n]);
  if (unknown.length > 0) {
    diag.warn(
      `${PACKAGE_NAME}: unknown resource detector${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} ` +
        `in ${detectorsWhere}, ignored; valid names: ${DETECTOR_NAMES.join(', ')}, all, none`,
    );
  }
  const out: ResourceDetector[] = [];
  for (const n of new Set(names)) {
    try {
      out.push(...(DETECTORS[n]?.() ?? []));
    } catch (err) {
      diag.warn(`${PACKAGE_NAME}: resource detector "${n}" could not be loaded: ${(err as Error)?.message ?? String(err)}`);
    }
  }
  return out;
}

export async function buildResource(): Promise<Resource> {
  const config = getConfig().resource;
  const serviceName = config.serviceName;
  let resource = defaultResource();
  // No name given: the app's own package.json names it (and its version), below what the detectors find.
  const pkg = !config.serviceNameGiven ? appPackage() : undefined;
  if (pkg)
    resource = resource.merge(
      resourceFromAttributes({ 'service.name': pkg.name, ...(pkg.version ? { 'service.version': pkg.version } : {}) }),
    );
  resource = resource.merge(detectResources({ detectors: configuredDetectors() }));
  // The file's attributes (the environment's come through the env detector) win over detected ones.
  if (Object.keys(config.attributes).length > 0) resource = resource.merge(resourceFromAttributes(config.attributes as Attributes));
  if (serviceName !== undefined) resource = resource.merge(resourceFromAttributes({ 'service.name': serviceName }));
  await resource.waitForAsyncAttributes?.();
  // process.command_args can hold credentials passed on the command line; it never leaves the process.
  const attrs = { ...resource.attributes };
  delete attrs['process.command_args'];
  delete attrs['process.command_line'];
  return resourceFromAttributes(attrs, { schemaUrl: config.schemaUrl ?? resource.schemaUrl });
}
