// Splits a rule into positioned tokens so every parse error can point at the exact characters.

export type TokenKind = 'word' | 'number' | 'symbol' | 'end';

export interface Token {
  kind: TokenKind;
  /** The characters as written (for a number, with its unit attached: "500ms", "5%", "1h30m"). */
  text: string;
  offset: number;
  length: number;
}

export class RuleSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
  }
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
// A unit is written against its number ("500ms", "5%"); "1h30m" stays one token for durations.
const NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)[A-Za-z0-9.%]*/y;
// Longest first, so ">=" is not read as ">" then "=".
const SYMBOLS = ['>=', '<=', '==', '!=', '≥', '≤', '>', '<', '(', ')', ':', '+', '-', '*', '×', '%'];

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  while (offset < text.length) {
    const char = text[offset] as string;
    if (/\s/.test(char)) {
      offset += 1;
      continue;
    }
    const token =
      matchAt(WORD, 'word', text, offset) ??
      matchAt(NUMBER, 'number', text, offset) ??
      symbolAt(text, offset);
    if (!token) {
      throw new RuleSyntaxError(`unexpected character '${char}'`, offset, 1);
    }
    tokens.push(token);
    offset += token.length;
  }
  tokens.push({ kind: 'end', text: '', offset: text.length, length: 0 });
  return tokens;
}

function matchAt(pattern: RegExp, kind: TokenKind, text: string, offset: number): Token | undefined {
  pattern.lastIndex = offset;
  const match = pattern.exec(text);
  if (!match) return undefined;
  return { kind, text: match[0], offset, length: match[0].length };
}

function symbolAt(text: string, offset: number): Token | undefined {
  const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, offset));
  return symbol === undefined ? undefined : { kind: 'symbol', text: symbol, offset, length: symbol.length };
}

/** How a token is named in a message: 'error_rate', '>', or "the end of the rule". */
export function describeToken(token: Token): string {
  return token.kind === 'end' ? 'the end of the rule' : `'${token.text}'`;
}

/** An error spanning from the start of `from` to the end of `to`. */
export function errorAt(message: string, from: Token, to: Token = from): RuleSyntaxError {
  return new RuleSyntaxError(message, from.offset, Math.max(0, to.offset + to.length - from.offset));
}

/** Reading position over the tokens; `end` is returned forever once reached. */
export class TokenCursor {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(delta = 0): Token {
    return this.tokens[Math.max(0, Math.min(this.index + delta, this.tokens.length - 1))] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  /** Consumes the symbol when it comes next. */
  accept(symbol: string): Token | undefined {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === symbol ? this.next() : undefined;
  }
}
