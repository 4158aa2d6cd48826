// Fills in a PromQL template of a plan: {{service}}, {{environment}}, {{version}}, {{role}}, {{window}}.

export interface PromqlVariables {
  service: string;
  environment: string;
  version: string;
  role: string;
  windowMs: number;
}

export function renderPromql(template: string, variables: PromqlVariables): string {
  const values: Record<string, string> = {
    service: variables.service,
    environment: variables.environment,
    version: variables.version,
    role: variables.role,
    window: promDuration(variables.windowMs),
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** A Prometheus duration: whole seconds as "90s", otherwise milliseconds ("1500ms"); at least 1ms. */
export function promDuration(ms: number): string {
  const rounded = Math.max(1, Math.round(ms));
  return rounded % 1000 === 0 ? `${rounded / 1000}s` : `${rounded}ms`;
}

/** Whether the template measures over a window ({{window}}), or reads a gauge at an instant. */
export function usesWindow(template: string): boolean {
  return /\{\{\s*window\s*\}\}/.test(template);
}
