// Reading numbers with units in rules: "5%", "500ms", "512MiB", and the units people write instead.

import { listWords } from '../plan/wording.js';
import { type Quantity, UNITS, type Unit } from './rule.js';
import { RuleSyntaxError, type Token } from './rule-tokens.js';

export const DURATION_UNITS = ['ms', 's', 'm', 'h'] as const;

// Units people write that mean one of ours; used only to suggest the right spelling.
const UNIT_ALIASES: Record<string, Unit> = {
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  msec: 'ms',
  msecs: 'ms',
  millis: 'ms',
  milliseconds: 'ms',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  percent: '%',
  b: 'B',
  kb: 'KiB',
  kib: 'KiB',
  mb: 'MiB',
  mib: 'MiB',
  gb: 'GiB',
  gib: 'GiB',
};

const NUMBER_AND_SUFFIX = /^(\d+(?:\.\d+)?|\.\d+)(.*)$/;

export function isUnit(text: string): text is Unit {
  return (UNITS as readonly string[]).includes(text);
}

/** Splits "500ms" into 500 and "ms"; the suffix is not checked here. */
export function splitNumber(token: Token): { value: number; suffix: string } {
  const match = NUMBER_AND_SUFFIX.exec(token.text);
  if (!match) throw new RuleSyntaxError(`'${token.text}' is not a number`, token.offset, token.length);
  return { value: Number(match[1]), suffix: match[2] as string };
}

/** The error for a unit we do not know, offering the right spelling when the intent is clear. */
export function unknownUnit(
  value: number,
  suffix: string,
  allowed: readonly string[],
  at: { offset: number; length: number },
): RuleSyntaxError {
  const alias = UNIT_ALIASES[suffix] ?? UNIT_ALIASES[suffix.toLowerCase()];
  const hint = alias !== undefined && allowed.includes(alias) ? ` (did you mean '${value}${alias}'?)` : '';
  return new RuleSyntaxError(
    `unknown unit '${suffix}'; use ${listWords(allowed)}${hint}`,
    at.offset,
    at.length,
  );
}

/** A quantity from a number token whose suffix must be one of UNITS (or empty). */
export function quantityOf(token: Token): Quantity {
  const { value, suffix } = splitNumber(token);
  if (suffix === '') return { value, unit: null };
  if (isUnit(suffix)) return { value, unit: suffix };
  const suffixOffset = token.offset + token.text.length - suffix.length;
  throw unknownUnit(value, suffix, UNITS, { offset: suffixOffset, length: suffix.length });
}

export function formatQuantity(quantity: Quantity): string {
  return `${quantity.value}${quantity.unit ?? ''}`;
}
