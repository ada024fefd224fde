import { closeSync, openSync, readSync } from 'node:fs';
import { SearchError } from '../errors.js';
import { ByteWriter } from './bytes.js';
import type { EngineConfig } from './config.js';
import { FIELD_COUNT } from './fields.js';
import { isBigram, KbIndex, type FrozenIndex, type PageRecord, type SectionStrings } from './kb-index.js';
import type { Posting } from './posting.js';
import { computeNorms } from './scorer.js';

/**
 * The index file: one buffer that opens without parsing postings, pages or texts.
 *
 *   "WKBIDX02" | u32 header length | header JSON | pad to 4
 *   pageOf    u32[sections]            page of each section
 *   lens      u32[sections × fields]   field lengths
 *   norms     f32[sections × fields]   BM25F length norms for the header's ranking parameters
 *   termEnds  u32[terms]               end offset of each term in the term blob
 *   postEnds  u32[terms]               end offset of each posting in the posting blob
 *   dfs       u32[terms]
 *   pageEnds  u32[pages]               end offset of each page record in the page blob
 *   pageFirst u32[pages]               first section of each page (sections of a page are contiguous)
 *   textEnds  u32[sections]            end offset of each section's strings in the text blob
 *   term blob     sorted terms (UTF-16 order), UTF-8
 *   posting blob  per entry: varint id delta, a byte of 2-bit field counts (3 = a varint follows)
 *   page blob     per page: path NUL title NUL url, UTF-8
 *   text blob     per section: heading NUL anchor NUL text, UTF-8 — last, so a file can be
 *                 opened without reading it; hits read their section texts on demand.
 */
const MAGIC = 'WKBIDX02';
const VERSION = 2;

interface Header {
  version: number;
  config: EngineConfig;
  sections: number;
  terms: number;
  pages: number;
  totalDf: number;
  maxTermLength: number;
  lenSums: number[];
  blobs: { terms: number; postings: number; pages: number; texts: number };
  /** Offset of the text blob in the file. */
  textOffset: number;
}

const utf8 = new TextEncoder();

function u8(arr: Uint32Array | Float32Array): Uint8Array {
  return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}

/** Writes the live pages of an index (ids compacted) and its configuration into one buffer. */
export function encodeIndex(kb: KbIndex, config: EngineConfig): Buffer {
  const records: PageRecord[] = [...kb.livePageRecords()];
  const newId = new Int32Array(kb.sectionSlots).fill(-1);
  const order: number[] = [];
  const pageFirst = new Uint32Array(records.length);
  const pageOf: number[] = [];
  records.forEach((page, p) => {
    pageFirst[p] = order.length;
    for (const id of page.sections) {
      newId[id] = order.length;
      order.push(id);
      pageOf.push(p);
    }
  });
  const sectionCount = order.length;
  const lens = new Uint32Array(sectionCount * FIELD_COUNT);
  const lenSums = [0, 0, 0, 0];
  order.forEach((old, id) => {
    for (let f = 0; f < FIELD_COUNT; f++) {
      const len = kb.lens[old * FIELD_COUNT + f]!;
      lens[id * FIELD_COUNT + f] = len;
      lenSums[f]! += len;
    }
  });
  const norms = computeNorms(lens, lenSums, sectionCount, config.params);

  const entries = [...kb.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const termBlob = new ByteWriter();
  const postBlob = new ByteWriter();
  const termEnds = new Uint32Array(entries.length);
  const postEnds = new Uint32Array(entries.length);
  const dfs = new Uint32Array(entries.length);
  let totalDf = 0;
  let maxTermLength = 0;
  entries.forEach(([term, p], t) => {
    termBlob.bytes(utf8.encode(term));
    termEnds[t] = termBlob.length;
    if (!isBigram(term)) maxTermLength = Math.max(maxTermLength, term.length);
    // Remap and re-sort: compaction follows page order, which may differ from insertion order.
    const rows: Array<[number, number]> = [];
    for (let i = 0; i < p.ids.length; i++) rows.push([newId[p.ids[i]!]!, i]);
    rows.sort((a, b) => a[0] - b[0]);
    let prev = 0;
    for (const [id, i] of rows) {
      postBlob.varint(id - prev);
      prev = id;
      let mask = 0;
      const big: number[] = [];
      for (let f = 0; f < FIELD_COUNT; f++) {
        const tf = p.tfs[i * FIELD_COUNT + f]!;
        const code = tf < 3 ? tf : 3;
        mask |= code << (2 * f);
        if (code === 3) big.push(tf);
      }
      postBlob.byte(mask);
      for (const v of big) postBlob.varint(v);
    }
    postEnds[t] = postBlob.length;
    dfs[t] = rows.length;
    if (!isBigram(term)) totalDf += rows.length;
  });

  const pageBlob = new ByteWriter();
  const pageEnds = new Uint32Array(records.length);
  records.forEach((page, p) => {
    pageBlob.bytes(utf8.encode(`${page.path}\u0000${page.title}\u0000${page.url}`));
    pageEnds[p] = pageBlob.length;
  });
  const textBlob = new ByteWriter();
  const textEnds = new Uint32Array(sectionCount);
  order.forEach((old, id) => {
    const s = kb.sectionStrings(old);
    textBlob.bytes(utf8.encode(`${s.heading}\u0000${s.anchor}\u0000${s.text}`));
    textEnds[id] = textBlob.length;
  });

  const tables = [Uint32Array.from(pageOf), lens, norms, termEnds, postEnds, dfs, pageEnds, pageFirst, textEnds];
  const header: Header = {
    version: VERSION,
    config,
    sections: sectionCount,
    terms: entries.length,
    pages: records.length,
    totalDf,
    maxTermLength,
    lenSums,
    blobs: { terms: termBlob.length, postings: postBlob.length, pages: pageBlob.length, texts: textBlob.length },
    textOffset: 0,
  };
  // The text offset depends on the header's own length; two passes settle it.
  let json = utf8.encode(JSON.stringify(header));
  for (let pass = 0; pass < 2; pass++) {
    const start = 12 + json.length + ((4 - ((12 + json.length) % 4)) % 4);
    header.textOffset = start + tables.reduce((a, t) => a + t.byteLength, 0) + termBlob.length + postBlob.length + pageBlob.length;
    json = utf8.encode(JSON.stringify(header));
  }
  const out = new ByteWriter();
  out.bytes(utf8.encode(MAGIC));
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, json.length, true);
  out.bytes(len);
  out.bytes(json);
  out.align(4);
  for (const t of tables) out.bytes(u8(t));
  out.bytes(termBlob.toBuffer());
  out.bytes(postBlob.toBuffer());
  out.bytes(pageBlob.toBuffer());
  if (out.length !== header.textOffset) throw new Error('index layout mismatch');
  out.bytes(textBlob.toBuffer());
  return out.toBuffer();
}

function formatError(message: string): SearchError {
  return new SearchError('KB_INDEX_FORMAT', message, { hint: 'rebuild it with `wecombot kb index <dir> --out <file>`' });
}

/** Reads byte ranges of the text blob: from memory, or from the open file on demand. */
export type TextReader = (start: number, end: number) => string;

/** A decoded index: the index, its configuration and the stored length norms. */
export interface DecodedIndex {
  kb: KbIndex;
  config: EngineConfig;
  norms: Float32Array;
}

function readHeader(buf: Uint8Array): { header: Header; at: number } {
  if (buf.length < 12 || Buffer.from(buf.buffer, buf.byteOffset, 8).toString('latin1') !== MAGIC) {
    throw formatError('not a wecombot knowledge-base index (or an older format)');
  }
  const headerLength = new DataView(buf.buffer, buf.byteOffset, 12).getUint32(8, true);
  if (12 + headerLength > buf.length) throw formatError('index file is truncated');
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + 12, headerLength).toString('utf8')) as Header;
  } catch (cause) {
    throw new SearchError('KB_INDEX_FORMAT', 'index header is damaged', { hint: 'rebuild the index', cause });
  }
  if (header.version !== VERSION) throw formatError(`index format version ${header.version} is not supported (expected ${VERSION})`);
  const at = 12 + headerLength;
  return { header, at: at + ((4 - (at % 4)) % 4) };
}

/** Opens an index held in memory. */
export function decodeIndex(input: Uint8Array): DecodedIndex {
  // Typed-array views need 4-byte alignment of the underlying buffer.
  const buf = input.byteOffset % 4 === 0 ? input : new Uint8Array(input);
  const { header } = readHeader(buf);
  const texts = Buffer.from(buf.buffer, buf.byteOffset + header.textOffset, header.blobs.texts);
  if (header.textOffset + header.blobs.texts > buf.length) throw formatError('index file is truncated');
  return decodeParts(buf, (start, end) => texts.toString('utf8', start, end));
}

/**
 * Opens an index file reading everything but the section texts, which are read from the
 * file when a hit needs one. Returns a `close` for the file descriptor.
 */
export function openIndexFile(file: string): DecodedIndex & { close(): void } {
  const fd = openSync(file, 'r');
  try {
    const first = Buffer.alloc(64 * 1024);
    const got = readSync(fd, first, 0, first.length, 0);
    const { header } = readHeader(first.subarray(0, got));
    const prefix = Buffer.alloc(header.textOffset);
    if (readSync(fd, prefix, 0, prefix.length, 0) !== prefix.length) throw formatError('index file is truncated');
    let closed = false;
    const reader: TextReader = (start, end) => {
      if (closed) throw new SearchError('KB_INDEX_READ', 'the knowledge base is closed', { hint: 'open it again' });
      const chunk = Buffer.alloc(end - start);
      readSync(fd, chunk, 0, chunk.length, header.textOffset + start);
      return chunk.toString('utf8');
    };
    const decoded = decodeParts(prefix, reader);
    return {
      ...decoded,
      close() {
        if (!closed) closeSync(fd);
        closed = true;
      },
    };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function decodeParts(buf: Uint8Array, readText: TextReader): DecodedIndex {
  const { header, at: start } = readHeader(buf);
  let at = start;
  const table = <T extends Uint32Array | Float32Array>(Ctor: new (b: ArrayBuffer, o: number, n: number) => T, count: number): T => {
    if (at + count * 4 > buf.length) throw formatError('index file is truncated');
    const arr = new Ctor(buf.buffer as ArrayBuffer, buf.byteOffset + at, count);
    at += count * 4;
    return arr;
  };
  const { sections, terms, pages } = header;
  const pageOf = table(Uint32Array, sections);
  const lens = table(Uint32Array, sections * FIELD_COUNT);
  const norms = table(Float32Array, sections * FIELD_COUNT);
  const termEnds = table(Uint32Array, terms);
  const postEnds = table(Uint32Array, terms);
  const dfs = table(Uint32Array, terms);
  const pageEnds = table(Uint32Array, pages);
  const pageFirst = table(Uint32Array, pages);
  const textEnds = table(Uint32Array, sections);
  const blob = (size: number) => {
    if (at + size > buf.length) throw formatError('index file is truncated');
    const b = Buffer.from(buf.buffer, buf.byteOffset + at, size);
    at += size;
    return b;
  };
  const termBlob = blob(header.blobs.terms);
  const postBlob = blob(header.blobs.postings);
  const pageBlob = blob(header.blobs.pages);

  const termCache: Array<string | undefined> = [];
  const termAt = (t: number): string => {
    let s = termCache[t];
    if (s === undefined) termCache[t] = s = termBlob.toString('utf8', t > 0 ? termEnds[t - 1]! : 0, termEnds[t]!);
    return s;
  };
  const frozen: FrozenIndex = {
    termCount: terms,
    termAt,
    // Terms are sorted by UTF-16 code units, the order of JavaScript string comparison.
    findTerm(term) {
      let lo = 0;
      let hi = terms - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const t = termAt(mid);
        if (t === term) return mid;
        if (t < term) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
    df: (t) => dfs[t]!,
    posting: (t) => decodePosting(postBlob, t > 0 ? postEnds[t - 1]! : 0, dfs[t]!),
    page(p): PageRecord {
      const [path = '', title = '', url = ''] = pageBlob.toString('utf8', p > 0 ? pageEnds[p - 1]! : 0, pageEnds[p]!).split('\u0000');
      const first = pageFirst[p]!;
      const end = p + 1 < pages ? pageFirst[p + 1]! : sections;
      return { path, title, url, sections: Array.from({ length: end - first }, (_, i) => first + i) };
    },
    sectionStrings(id): SectionStrings {
      const raw = readText(id > 0 ? textEnds[id - 1]! : 0, textEnds[id]!);
      const a = raw.indexOf('\u0000');
      const b = raw.indexOf('\u0000', a + 1);
      return { heading: raw.slice(0, a), anchor: raw.slice(a + 1, b), text: raw.slice(b + 1) };
    },
  };
  const kb = KbIndex.fromParts({
    pageCount: pages,
    pageOf,
    lens,
    lenSums: header.lenSums,
    totalDf: header.totalDf,
    maxTermLength: header.maxTermLength,
    frozen,
  });
  return { kb, config: header.config, norms };
}

function decodePosting(blob: Uint8Array, start: number, count: number): Posting {
  const ids = new Int32Array(count);
  const tfs = new Uint16Array(count * FIELD_COUNT);
  let at = start;
  let id = 0;
  for (let i = 0; i < count; i++) {
    let b = blob[at++]!;
    let delta = b & 0x7f;
    for (let shift = 7; b & 0x80; shift += 7) {
      b = blob[at++]!;
      delta += (b & 0x7f) * 2 ** shift;
    }
    id += delta;
    ids[i] = id;
    const mask = blob[at++]!;
    for (let f = 0; f < FIELD_COUNT; f++) {
      let code = (mask >> (2 * f)) & 3;
      if (code === 3) {
        b = blob[at++]!;
        code = b & 0x7f;
        for (let shift = 7; b & 0x80; shift += 7) {
          b = blob[at++]!;
          code += (b & 0x7f) * 2 ** shift;
        }
        code = Math.min(code, 0xffff);
      }
      tfs[i * FIELD_COUNT + f] = code;
    }
  }
  return { ids, tfs };
}
