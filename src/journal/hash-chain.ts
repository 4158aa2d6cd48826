// The tamper-evident chain: one canonical serialization of an event and the hash linking it to the previous one.
// Both backends seal events with it and `audit.ts` re-computes it, so the three can never disagree.
//
// hash = sha256_hex(prevHash + canonicalJson({ actor, at, data, deploymentId, index, seq, type }))
// canonicalJson: object keys sorted by UTF-16 code unit, no whitespace, JSON.stringify's escaping and numbers.

import { createHash } from 'node:crypto';

/** The `prevHash` of the very first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its hash covers; `data` is the stored canonical JSON text. */
export interface ChainedFields {
  seq: number;
  deploymentId: string;
  index: number;
  at: string;
  type: string;
  actor: string | null;
}

/** Serializes JSON-compatible data with sorted keys and no whitespace; throws on what JSON cannot hold exactly. */
export function canonicalJson(value: unknown): string {
  return write(value, new Set(), '$');
}

function write(value: unknown, ancestors: Set<object>, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // NaN and Infinity would silently become null and change what was hashed on the way back.
      if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case 'object':
      return writeObject(value, ancestors, path);
    default:
      throw new TypeError(`${path} is a ${typeof value}, which JSON cannot represent`);
  }
}

function writeObject(value: object, ancestors: Set<object>, path: string): string {
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON(), ancestors, path);
  if (ancestors.has(value)) throw new TypeError(`${path} refers to itself`);
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    // As JSON.stringify does: holes and undefined in arrays become null, keeping positions.
    text = `[${value.map((item, i) => (item === undefined ? 'null' : write(item, ancestors, `${path}[${i}]`))).join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const item = record[key];
      if (item === undefined || typeof item === 'function') continue;
      members.push(`${JSON.stringify(key)}:${write(item, ancestors, `${path}.${key}`)}`);
    }
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}

/**
 * The canonical body of an event, splicing in `dataJson` as stored rather than re-serializing it,
 * so the hash covers exactly the text in the database. Keys in sorted order.
 */
export function canonicalEventBody(fields: ChainedFields, dataJson: string): string {
  return (
    `{"actor":${fields.actor === null ? 'null' : JSON.stringify(fields.actor)}` +
    `,"at":${JSON.stringify(fields.at)}` +
    `,"data":${dataJson}` +
    `,"deploymentId":${JSON.stringify(fields.deploymentId)}` +
    `,"index":${canonicalJson(fields.index)}` +
    `,"seq":${canonicalJson(fields.seq)}` +
    `,"type":${JSON.stringify(fields.type)}}`
  );
}

export function hashEvent(prevHash: string, fields: ChainedFields, dataJson: string): string {
  return createHash('sha256').update(prevHash).update(canonicalEventBody(fields, dataJson)).digest('hex');
}

/**
 * Parses stored event data. Text that is not JSON can only come from a hand edit; it is handed back under
 * `$unreadable` rather than thrown, so `gantry audit verify` reports the event as edited instead of stopping.
 */
export function parseStoredData(dataJson: string): Record<string, unknown> {
  try {
    return JSON.parse(dataJson);
  } catch {
    return { $unreadable: dataJson };
  }
}
