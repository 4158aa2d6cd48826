// How values and lists are named in messages, so every diagnostic reads the same way.

/** "a, b or c" — lists in messages read like a sentence. */
export function listWords(words: readonly string[], conjunction = 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1)}`;
}

/** A value as a person would recognise it in their YAML: "5 minutes" in quotes, 30, a list, nothing. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'nothing (the key has no value)';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty map' : 'a map';
  return typeof value;
}

/** Words for a JSON type or zod's `expected`: "a map", "a list", "text". */
export function describeType(type: string): string {
  const words: Record<string, string> = {
    object: 'a map',
    record: 'a map',
    array: 'a list',
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    integer: 'a whole number',
    boolean: 'true or false',
    null: 'nothing',
  };
  return words[type] ?? type;
}
