// Generated from package.json by scripts/package-info.mjs (run by `npm run build`); do not edit.
export const PACKAGE_NAME = '@socketcomm/monitoring';
export const PACKAGE_VERSION = '0.1.0';
