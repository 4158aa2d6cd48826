// Keeps the last few kilobytes of a command's output for the journal; the full output goes to the log file.

export class OutputTail {
  private buffer = '';

  constructor(private readonly maxChars: number) {}

  push(text: string): void {
    this.buffer += text;
    if (this.buffer.length > this.maxChars * 2) this.buffer = this.buffer.slice(-this.maxChars);
  }

  text(): string {
    return this.buffer.length > this.maxChars ? `…${this.buffer.slice(-this.maxChars)}` : this.buffer;
  }

  lastLine(): string {
    const lines = this.buffer.trimEnd().split('\n');
    return (lines[lines.length - 1] ?? '').slice(0, 300);
  }
}
