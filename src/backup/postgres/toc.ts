// Reading `pg_restore --list` output: how many entries an archive holds and which tables it creates.

export interface ArchiveContents {
  entries: number;
  /** "schema.table" of every TABLE entry. */
  tables: string[];
}

// "215; 1259 35476 TABLE public orders app": dump id; catalog oid, oid, type, schema, name, owner.
const TABLE_ENTRY = /^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) /;

export function parseToc(listing: string): ArchiveContents {
  const lines = listing.split('\n').filter((line) => line.trim() !== '' && !line.startsWith(';'));
  const tables = lines.flatMap((line) => {
    const match = TABLE_ENTRY.exec(line);
    return match ? [`${match[1]}.${match[2]}`] : [];
  });
  return { entries: lines.length, tables };
}
