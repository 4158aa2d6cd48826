// How a plan's service and environment are named in gantry-proxy: one proxy service per pair, so the
// same service can run in staging and production side by side on one machine.

export function proxyServiceName(service: string, environment: string): string {
  return `${service}.${environment}`;
}
