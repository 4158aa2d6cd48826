// The window part of a rule: nothing (each measurement alone), `for 5m`, `for 10 requests`, `for 20 samples`.

import { didYouMean } from '../plan/suggest.js';
import { parseDuration } from '../units/duration.js';
import type { RuleWindow } from './rule.js';
import { describeToken, errorAt, type Token, type TokenCursor } from './rule-tokens.js';
import { DURATION_UNITS, splitNumber, unknownUnit } from './rule-units.js';

const COUNT_WORDS: Record<string, 'requests' | 'samples'> = {
  request: 'requests',
  requests: 'requests',
  sample: 'samples',
  samples: 'samples',
};

const EXPECTED_LENGTH = "expected a duration such as 5m, or a count such as 10 requests, after 'for'";

export function parseWindow(cursor: TokenCursor): RuleWindow {
  const keyword = cursor.peek();
  if (keyword.kind === 'word' && keyword.text === 'for') {
    cursor.next();
    return windowLength(cursor, keyword);
  }
  if (keyword.kind === 'end' || keyword.text === ':') return { kind: 'instant' };
  const hint = keyword.kind === 'word' ? didYouMean(keyword.text, ['for']) : '';
  const message = `unexpected ${describeToken(keyword)}; expected 'for …', ': tier' or the end of the rule${hint}`;
  throw errorAt(message, keyword);
}

function windowLength(cursor: TokenCursor, keyword: Token): RuleWindow {
  const token = cursor.next();
  if (token.kind !== 'number') throw errorAt(EXPECTED_LENGTH, token);
  const ms = parseDuration(token.text);
  if (ms === 0) {
    throw errorAt(
      'the window must be longer than 0; leave out "for …" to judge each measurement alone',
      keyword,
      token,
    );
  }
  if (ms !== undefined) return { kind: 'duration', ms };
  const { value, suffix } = splitNumber(token);
  if (suffix !== '') {
    const suffixAt = { offset: token.offset + token.text.length - suffix.length, length: suffix.length };
    throw unknownUnit(value, suffix, DURATION_UNITS, suffixAt);
  }
  const word = cursor.next();
  const countKind = COUNT_WORDS[word.text];
  if (word.kind === 'word' && countKind) {
    if (!Number.isInteger(value) || value < 1) {
      throw errorAt(`the ${countKind} count must be a whole number above 0`, token);
    }
    return { kind: countKind, count: value };
  }
  // A unit written apart from its number: "for 5 m".
  const spacedMs = word.kind === 'word' ? parseDuration(`${token.text}${word.text}`) : undefined;
  if (spacedMs !== undefined && spacedMs > 0) return { kind: 'duration', ms: spacedMs };
  if (word.kind === 'word') throw unknownUnit(value, word.text, DURATION_UNITS, word);
  throw errorAt(EXPECTED_LENGTH, word);
}
