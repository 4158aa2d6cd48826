// Replaces every secret value, in the forms it is likely to appear (plain, JSON-escaped, URL-encoded,
// base64), with a marker naming the secret. Every byte Gantry writes passes through one of these.

export class Redactor {
  private readonly patterns: Array<{ needle: string; marker: string }>;

  constructor(secrets: ReadonlyMap<string, string> = new Map()) {
    const patterns: Array<{ needle: string; marker: string }> = [];
    for (const [name, value] of secrets) {
      if (value.length < 3) continue; // too short to redact without destroying unrelated text
      const marker = `[redacted:${name}]`;
      const forms = new Set([
        value,
        JSON.stringify(value).slice(1, -1),
        encodeURIComponent(value),
        Buffer.from(value).toString('base64'),
      ]);
      for (const needle of forms) patterns.push({ needle, marker });
    }
    // Longest first, so a secret containing another is replaced whole.
    this.patterns = patterns.sort((a, b) => b.needle.length - a.needle.length);
  }

  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }

  text(input: string): string {
    let output = input;
    for (const { needle, marker } of this.patterns) {
      if (output.includes(needle)) output = output.split(needle).join(marker);
    }
    return output;
  }

  /** Redacts every string inside a JSON-like value. */
  value<T>(input: T): T {
    if (this.isEmpty) return input;
    return JSON.parse(this.text(JSON.stringify(input))) as T;
  }
}
