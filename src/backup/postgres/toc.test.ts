import { describe, expect, it } from 'vitest';
import { countDifferences } from './row-counts.js';
import { parseToc } from './toc.js';

const LISTING = `;
; Archive created at 2026-11-21 23:51:25 UTC
;     dbname: exp_a
;
; Selected TOC Entries:
;
215; 1259 35476 TABLE public orders app
214; 1259 35475 SEQUENCE public orders_id_seq app
3344; 0 35476 TABLE DATA public orders app
216; 1259 35490 TABLE billing invoices app
3345; 0 35490 TABLE DATA billing invoices app
3199; 2606 35483 CONSTRAINT public orders orders_pkey app
`;

describe('reading an archive listing', () => {
  it('counts the entries and names the tables it creates, not their data entries', () => {
    expect(parseToc(LISTING)).toEqual({ entries: 6, tables: ['public.orders', 'billing.invoices'] });
  });
});

describe('comparing row counts', () => {
  it('agrees when every table has the same rows', () => {
    expect(countDifferences({ 'public.a': 3, 'public.b': 0 }, { 'public.b': 0, 'public.a': 3 })).toEqual([]);
  });

  it('names each table that differs, is missing or is extra', () => {
    expect(countDifferences({ 'public.a': 3, 'public.b': 5 }, { 'public.a': 2, 'public.c': 1 })).toEqual([
      'public.a has 2 rows in the restore, 3 in the database',
      'public.b is missing from the restore (5 rows in the database)',
      'public.c is in the restore but was not in the database',
    ]);
  });
});
