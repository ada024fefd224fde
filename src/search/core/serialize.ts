import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { SearchError } from '../errors.js';
import { blockReader, packBlocks, sampleDictionary } from './block-blob.js';
import { ByteWriter } from './bytes.js';
import type { EngineConfig } from './config.js';
import { FIELD_COUNT } from './fields.js';
import { isBigram, KbIndex, type FrozenIndex, type PageRecord } from './kb-index.js';
import type { Posting } from './posting.js';
import { computeNorms, impactStep, stepOfTf } from './scorer.js';
import type { QuantizedVectors } from '../embeddings/vectors.js';

/**
 * The index file: one file that opens by reading its small, eager part; postings, pages,
 * section headings and texts are read from the file when a query first needs them.
 *
 *   "WKBIDX06" | u32 header length | header JSON | pad to 4 | body
 *   header JSON: counts, region offsets, and the engine configuration with what indexing
 *   learned (names indexed as whole terms, aliases; format 5: files of format 4 lack both).
 *   Format 6 stores impacts as u16 steps, section ids as u16 when there are fewer than 65,536
 *   sections, and postings and texts as deflate blocks: the file is smaller than the
 *   Markdown it indexes (format 5 was twice its size).
 *   body, eager part (read at open):
 *     pageOf    u32[sections]            page of each section
 *     norms     f32[sections × fields]   BM25F length norms for the header's ranking parameters
 *     termEnds  u32[terms]               end of each term in the term blob
 *     postEnds  u32[terms]               end of each posting in the posting blob
 *     dfs       u32[terms]
 *     pageEnds  u32[pages]               end of each page record in the page blob
 *     pageFirst u32[pages]               first section of each page (a page's sections are contiguous)
 *     term blob     terms sorted by their UTF-8 bytes: a lookup compares bytes in place,
 *                   nothing is decoded at open
 *   body, lazy part (header.regions: offset and length within the body):
 *     lens      u32[sections × fields]   field lengths (only changes and rewrites need them)
 *     headEnds  u32[sections]            end of each section's record in the head blob
 *     textEnds  u32[sections]            end of each section's text in the text blob
 *     scoredEnds u32[terms]             end of each term's scored block, in bytes
 *     maxSteps  u16[terms]               largest impact step of each term
 *     postStarts, postBlocks, textStarts, textBlocks: u32 tables of the packed blobs (block-blob.ts)
 *     textDict      the deflate dictionary of the text blocks
 *     posting blob  deflate blocks of, per entry: varint id delta, a byte of 2-bit field counts
 *                   (3 = a varint follows); only rewrites and other ranking parameters read it
 *     scored blob   per term: ids[df] (u16 or i32, header.idBytes) | u16 steps[df], the posting
 *                   scored for the header's ranking parameters: the scorer takes the steps as a
 *                   typed-array view and the ids after one native copy, with no per-entry
 *                   decoding (a cold start's first query runs in the interpreter, where decoding
 *                   a common term costs milliseconds)
 *     page blob     per page: path NUL title NUL url NUL digest (see page-digest.ts)
 *     head blob     per section: heading NUL anchor (not packed: a query reranks by ~30 headings)
 *     text blob     deflate blocks of, per section: text (a query reads its answers' texts only)
 *     vectorData, vectorScales  int8[sections × dims], f32[sections]: section vectors for hybrid
 *                   search (header.vectors names the model), empty without; read only when a
 *                   query uses them
 */
const MAGIC = 'WKBIDX06';
const VERSION = 6;

/** Uncompressed bytes per block: inflating one costs tens of microseconds. */
const TEXT_BLOCK_BYTES = 8 * 1024;
const POSTING_BLOCK_BYTES = 16 * 1024;

type Region = [offset: number, length: number];

interface Header {
  version: number;
  config: EngineConfig;
  sections: number;
  terms: number;
  pages: number;
  totalDf: number;
  maxTermLength: number;
  lenSums: number[];
  /** Bytes per section id in the scored blob: 2 below 65,536 sections, else 4. */
  idBytes: 2 | 4;
  /** The embedding model and dimensions of the stored section vectors, when there are any. */
  vectors?: { model: string; dims: number };
  /** Body bytes to read at open. */
  eager: number;
  termBlob: number;
  regions: {
    lens: Region;
    headEnds: Region;
    textEnds: Region;
    scoredEnds: Region;
    maxSteps: Region;
    postStarts: Region;
    postBlocks: Region;
    textStarts: Region;
    textBlocks: Region;
    textDict: Region;
    postings: Region;
    scored: Region;
    pages: Region;
    heads: Region;
    texts: Region;
    vectorData: Region;
    vectorScales: Region;
  };
}

/** Section vectors of an index, by section slot, with the model that made them. */
export interface IndexVectors extends QuantizedVectors {
  model: string;
}

const utf8 = new TextEncoder();

function u8(arr: Uint32Array | Int32Array | Uint16Array | Int8Array | Float32Array): Uint8Array {
  return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}

/**
 * Writes the live pages of an index (ids compacted), its configuration and, when given, the
 * section vectors (indexed by the index's section slots) into one buffer.
 */
export function encodeIndex(kb: KbIndex, config: EngineConfig, vectors?: IndexVectors): Buffer {
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

  const entries = [...kb.entries()].map(([term, p]) => ({ term, p, bytes: Buffer.from(term, 'utf8') }));
  entries.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  const termBlob = new ByteWriter();
  const postBlob = new ByteWriter();
  const scoredBlob = new ByteWriter();
  const termEnds = new Uint32Array(entries.length);
  const postEnds = new Uint32Array(entries.length);
  const scoredEnds = new Uint32Array(entries.length);
  const { k1 } = config.params;
  const dfs = new Uint32Array(entries.length);
  const maxSteps = new Uint16Array(entries.length);
  const idBytes = sectionCount < 0x10000 ? 2 : 4;
  let totalDf = 0;
  let maxTermLength = 0;
  entries.forEach(({ term, p, bytes }, t) => {
    termBlob.bytes(bytes);
    termEnds[t] = termBlob.length;
    if (!isBigram(term)) maxTermLength = Math.max(maxTermLength, term.length);
    // Remap and re-sort: compaction follows page order, which may differ from insertion order.
    const rows: Array<[number, number]> = [];
    for (let i = 0; i < p.ids.length; i++) rows.push([newId[p.ids[i]!]!, i]);
    rows.sort((a, b) => a[0] - b[0]);
    let prev = 0;
    const ids = idBytes === 2 ? new Uint16Array(rows.length) : new Int32Array(rows.length);
    const steps = new Uint16Array(rows.length);
    for (const [r, [id, i]] of rows.entries()) {
      ids[r] = id;
      steps[r] = impactStep(p.tfs, i * FIELD_COUNT, norms, id * FIELD_COUNT, k1);
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
    maxSteps[t] = steps.reduce((m, x) => (x > m ? x : m), 0);
    scoredBlob.bytes(u8(ids));
    scoredBlob.bytes(u8(steps));
    // The next term's ids must be aligned for their typed-array view.
    scoredBlob.align(idBytes);
    scoredEnds[t] = scoredBlob.length;
    dfs[t] = rows.length;
    if (!isBigram(term)) totalDf += rows.length;
  });

  const pageBlob = new ByteWriter();
  const pageEnds = new Uint32Array(records.length);
  records.forEach((page, p) => {
    pageBlob.bytes(utf8.encode(`${page.path}\u0000${page.title}\u0000${page.url}\u0000${page.digest}`));
    pageEnds[p] = pageBlob.length;
  });
  const headBlob = new ByteWriter();
  const textBlob = new ByteWriter();
  const headEnds = new Uint32Array(sectionCount);
  const textEnds = new Uint32Array(sectionCount);
  order.forEach((old, id) => {
    const s = kb.sectionStrings(old);
    headBlob.bytes(utf8.encode(`${s.heading}\u0000${s.anchor}`));
    headEnds[id] = headBlob.length;
    textBlob.bytes(utf8.encode(s.text));
    textEnds[id] = textBlob.length;
  });

  const body = new ByteWriter();
  for (const t of [Uint32Array.from(pageOf), norms, termEnds, postEnds, dfs, pageEnds, pageFirst]) body.bytes(u8(t));
  body.bytes(termBlob.toBuffer());
  const eager = body.length;
  const region = (bytes: Uint8Array): Region => {
    body.align(4);
    const at = body.length;
    body.bytes(bytes);
    return [at, bytes.length];
  };
  const postPacked = packBlocks(postBlob.toBuffer(), postEnds, POSTING_BLOCK_BYTES);
  const textRaw = textBlob.toBuffer();
  const textDict = sampleDictionary(textRaw, textEnds);
  const textPacked = packBlocks(textRaw, textEnds, TEXT_BLOCK_BYTES, textDict);
  const regions = {
    lens: region(u8(lens)),
    headEnds: region(u8(headEnds)),
    textEnds: region(u8(textEnds)),
    scoredEnds: region(u8(scoredEnds)),
    maxSteps: region(u8(maxSteps)),
    postStarts: region(u8(postPacked.starts)),
    postBlocks: region(u8(postPacked.ends)),
    textStarts: region(u8(textPacked.starts)),
    textBlocks: region(u8(textPacked.ends)),
    textDict: region(textDict),
    postings: region(postPacked.data),
    scored: region(scoredBlob.toBuffer()),
    pages: region(pageBlob.toBuffer()),
    heads: region(headBlob.toBuffer()),
    texts: region(textPacked.data),
    ...encodeVectors(vectors, order, region),
  };
  const header: Header = {
    version: VERSION,
    config,
    sections: sectionCount,
    terms: entries.length,
    pages: records.length,
    totalDf,
    maxTermLength,
    lenSums,
    idBytes,
    ...(vectors ? { vectors: { model: vectors.model, dims: vectors.dims } } : {}),
    eager,
    termBlob: termBlob.length,
    regions,
  };
  const out = new ByteWriter();
  out.bytes(utf8.encode(MAGIC));
  const json = utf8.encode(JSON.stringify(header));
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, json.length, true);
  out.bytes(len);
  out.bytes(json);
  out.align(4);
  out.bytes(body.toBuffer());
  return out.toBuffer();
}

/** The vector regions, in the compacted section order (`order[newId]` = slot); empty without vectors. */
function encodeVectors(
  vectors: IndexVectors | undefined,
  order: readonly number[],
  region: (bytes: Uint8Array) => Region,
): { vectorData: Region; vectorScales: Region } {
  if (!vectors) return { vectorData: region(new Uint8Array(0)), vectorScales: region(new Uint8Array(0)) };
  const { dims } = vectors;
  const data = new Int8Array(order.length * dims);
  const scales = new Float32Array(order.length);
  order.forEach((slot, id) => {
    if (slot >= vectors.scales.length) return;
    scales[id] = vectors.scales[slot]!;
    data.set(vectors.data.subarray(slot * dims, (slot + 1) * dims), id * dims);
  });
  return { vectorData: region(u8(data)), vectorScales: region(u8(scales)) };
}

function formatError(message: string): SearchError {
  return new SearchError('kb_index_format', message, { hint: 'rebuild it with `wecombot kb index <dir> --out <file>`' });
}

/** Reads `length` bytes at `offset` of the body: from memory, or from the open file. */
export type BodyReader = (offset: number, length: number) => Buffer;

/** A decoded index: the index, its configuration and the stored length norms. */
export interface DecodedIndex {
  kb: KbIndex;
  config: EngineConfig;
  norms: Float32Array;
  /** The stored section vectors, read from the file on the first call. */
  vectors?: { model: string; dims: number; load(): IndexVectors };
}

function readHeader(buf: Uint8Array): { header: Header; bodyStart: number } {
  const magic = buf.length >= 12 ? Buffer.from(buf.buffer, buf.byteOffset, 8).toString('latin1') : '';
  if (magic !== MAGIC) {
    // An index written by another version of wecombot says so, rather than "not an index".
    const other = /^WKBIDX(\d\d)$/.exec(magic);
    throw formatError(
      other
        ? `index file format ${Number(other[1])} is not the one this wecombot reads (${VERSION})`
        : 'not a wecombot knowledge-base index',
    );
  }
  const headerLength = new DataView(buf.buffer, buf.byteOffset, 12).getUint32(8, true);
  if (12 + headerLength > buf.length) throw formatError('index file is truncated');
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + 12, headerLength).toString('utf8')) as Header;
  } catch (cause) {
    throw new SearchError('kb_index_format', 'index header is damaged', { hint: 'rebuild the index', cause });
  }
  if (header.version !== VERSION) throw formatError(`index format version ${header.version} is not supported (expected ${VERSION})`);
  const end = 12 + headerLength;
  return { header, bodyStart: end + ((4 - (end % 4)) % 4) };
}

function bodyLength(h: Header): number {
  return Object.values(h.regions).reduce((end, [offset, length]) => Math.max(end, offset + length), 0);
}

/** Opens an index held in memory. */
export function decodeIndex(input: Uint8Array): DecodedIndex {
  // Typed-array views need 4-byte alignment of the underlying buffer.
  const buf = input.byteOffset % 4 === 0 ? input : new Uint8Array(input);
  const { header, bodyStart } = readHeader(buf);
  if (bodyStart + bodyLength(header) > buf.length) throw formatError('index file is truncated');
  const body = Buffer.from(buf.buffer, buf.byteOffset + bodyStart, bodyLength(header));
  return decodeBody(header, body, (offset, length) => {
    checkRange(offset, length, body.length);
    return body.subarray(offset, offset + length);
  });
}

/**
 * A read must fall inside the body: in a damaged file, tables hold arbitrary numbers, and a
 * wild offset or length must become a format error, not a RangeError deep in Buffer.
 */
function checkRange(offset: number, length: number, bodyBytes: number): void {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > bodyBytes) {
    throw formatError('index file is damaged (a record points outside the file)');
  }
}

/**
 * Opens an index file reading its header and eager part only; the rest is read from the file
 * on demand. Returns a `close` for the file descriptor.
 */
export function openIndexFile(file: string): DecodedIndex & { close(): void } {
  const fd = openSync(file, 'r');
  try {
    const first = Buffer.allocUnsafe(64 * 1024);
    const got = readSync(fd, first, 0, first.length, 0);
    const { header, bodyStart } = readHeader(first.subarray(0, got));
    if (fstatSync(fd).size < bodyStart + bodyLength(header)) throw formatError('index file is truncated');
    const eager = Buffer.allocUnsafe(header.eager);
    if (readSync(fd, eager, 0, eager.length, bodyStart) !== eager.length) throw formatError('index file is truncated');
    let closed = false;
    const bodyBytes = bodyLength(header);
    const reader: BodyReader = (offset, length) => {
      if (closed) throw new SearchError('kb_index_read', 'the knowledge base is closed', { hint: 'open it again' });
      checkRange(offset, length, bodyBytes);
      const chunk = Buffer.allocUnsafe(length);
      if (length > 0 && readSync(fd, chunk, 0, length, bodyStart + offset) !== length) throw formatError('index file is truncated');
      return chunk;
    };
    const decoded = decodeBody(header, eager, reader);
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

function decodeBody(header: Header, eager: Buffer, read: BodyReader): DecodedIndex {
  let at = 0;
  const table = <T extends Uint32Array | Float32Array>(Ctor: new (b: ArrayBuffer, o: number, n: number) => T, count: number): T => {
    if (at + count * 4 > eager.length) throw formatError('index file is truncated');
    // Copy when the eager buffer is not 4-byte aligned (a pooled Buffer).
    const arr =
      (eager.byteOffset + at) % 4 === 0
        ? new Ctor(eager.buffer as ArrayBuffer, eager.byteOffset + at, count)
        : new Ctor(eager.buffer.slice(eager.byteOffset + at, eager.byteOffset + at + count * 4) as ArrayBuffer, 0, count);
    at += count * 4;
    return arr;
  };
  const { sections, terms, pages, regions } = header;
  const pageOf = table(Uint32Array, sections);
  const norms = table(Float32Array, sections * FIELD_COUNT);
  const ownNorms = norms;
  const termEnds = table(Uint32Array, terms);
  const postEnds = table(Uint32Array, terms);
  const dfs = table(Uint32Array, terms);
  const pageEnds = table(Uint32Array, pages);
  const pageFirst = table(Uint32Array, pages);
  if (at + header.termBlob > eager.length) throw formatError('index file is truncated');
  const termBlob = eager.subarray(at, at + header.termBlob);
  const slice = (region: Region, ends: Uint32Array, i: number): Buffer => {
    const start = i > 0 ? ends[i - 1]! : 0;
    return read(region[0] + start, ends[i]! - start);
  };

  const termAt = (t: number): string => termBlob.toString('utf8', t > 0 ? termEnds[t - 1]! : 0, termEnds[t]!);
  // The query term in UTF-8, encoded once per lookup into a reused buffer.
  let scratch = new Uint8Array(256);
  /** Compares UTF-8 bytes `q[0, n)` with term `t`, in byte order (the order of the blob). */
  const compare = (q: Uint8Array, n: number, t: number): number => {
    const start = t > 0 ? termEnds[t - 1]! : 0;
    const size = termEnds[t]! - start;
    const common = Math.min(size, n);
    for (let i = 0; i < common; i++) {
      const d = q[i]! - termBlob[start + i]!;
      if (d !== 0) return d;
    }
    return n - size;
  };
  /** A u32 table of the lazy part, read whole on first use: one read, then lookups in memory. */
  const lazyTable = (region: Region): (() => Uint32Array) => {
    let table: Uint32Array | undefined;
    return () => {
      if (!table) {
        const raw = aligned(read(region[0], region[1]), 4);
        table = new Uint32Array(raw.buffer, raw.byteOffset, region[1] >>> 2);
      }
      return table;
    };
  };
  /** Start and end of record `id` (a section or a term) in a blob, from its ends table. */
  const ends = (region: Region): ((id: number) => [number, number]) => {
    const table = lazyTable(region);
    return (id) => {
      const t = table();
      return [id > 0 ? t[id - 1]! : 0, t[id]!];
    };
  };
  /** Reads uncompressed `[start, end)` of a packed blob (block-blob.ts), its tables read on first use. */
  const packed = (
    data: Region,
    starts: Region,
    blocks: Region,
    cachedBlocks: number,
    dict?: Region,
  ): ((start: number, end: number) => Buffer) => {
    let reader: ((start: number, end: number) => Buffer) | undefined;
    return (start, end) => {
      reader ??= blockReader(
        (offset, length) => {
          checkRange(offset, length, data[1]);
          return read(data[0] + offset, length);
        },
        lazyTable(starts)(),
        lazyTable(blocks)(),
        () => formatError('index file is damaged (a compressed block)'),
        { dictionary: dict ? read(dict[0], dict[1]) : undefined, cachedBlocks },
      );
      return reader(start, end);
    };
  };
  const headRange = ends(regions.headEnds);
  const textRange = ends(regions.textEnds);
  const scoredRange = ends(regions.scoredEnds);
  // Texts: up to 16 MiB of inflated blocks, so an answer read once is not inflated again (the
  // texts of the 3,199-page test corpus inflate to 11.5 MB); postings: only rewrites read them.
  const postingBytes = packed(regions.postings, regions.postStarts, regions.postBlocks, 4);
  const textBytes = packed(regions.texts, regions.textStarts, regions.textBlocks, (16 << 20) / TEXT_BLOCK_BYTES, regions.textDict);
  let maxSteps: Uint16Array | undefined;
  const maxStep = (t: number): number => {
    if (!maxSteps) {
      if (regions.maxSteps[1] !== terms * 2) throw formatError('index file is damaged (impact table size)');
      const raw = aligned(read(regions.maxSteps[0], regions.maxSteps[1]), 2);
      maxSteps = new Uint16Array(raw.buffer, raw.byteOffset, terms);
    }
    return maxSteps[t]!;
  };
  const posting = (t: number): Buffer => postingBytes(t > 0 ? postEnds[t - 1]! : 0, postEnds[t]!);
  const fileK1 = header.config.params.k1;
  const frozen: FrozenIndex = {
    termCount: terms,
    termAt,
    findTerm(term) {
      if (scratch.length < term.length * 3) scratch = new Uint8Array(term.length * 3);
      const n = utf8.encodeInto(term, scratch).written;
      let lo = 0;
      let hi = terms - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const c = compare(scratch, n, mid);
        if (c === 0) return mid;
        if (c > 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
    df: (t) => dfs[t]!,
    posting: (t) => decodePosting(posting(t), dfs[t]!),
    scored(t, norms, k1) {
      // The stored scores hold for the file's own norms and k1 only (see fromDecoded in the
      // embedded engine, which passes this very norms array on when the parameters match).
      if (norms !== ownNorms || k1 !== fileK1) return decodeScored(posting(t), dfs[t]!, norms, k1);
      const [start, end] = scoredRange(t);
      return scoredViews(read(regions.scored[0] + start, end - start), dfs[t]!, header.idBytes, maxStep(t));
    },
    page(p): PageRecord {
      const [path = '', title = '', url = '', digest = ''] = slice(regions.pages, pageEnds, p).toString('utf8').split('\u0000');
      const first = pageFirst[p]!;
      const end = p + 1 < pages ? pageFirst[p + 1]! : sections;
      return { path, title, url, digest, sections: Array.from({ length: end - first }, (_, i) => first + i) };
    },
    lens() {
      const raw = read(regions.lens[0], regions.lens[1]);
      return new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length) as ArrayBuffer);
    },
    sectionHead(id) {
      const [start, end] = headRange(id);
      const raw = read(regions.heads[0] + start, end - start).toString('utf8');
      const cut = raw.indexOf('\u0000');
      return { heading: raw.slice(0, cut), anchor: raw.slice(cut + 1) };
    },
    sectionText(id) {
      const [start, end] = textRange(id);
      return textBytes(start, end).toString('utf8');
    },
  };
  const kb = KbIndex.fromParts({
    pageCount: pages,
    pageOf,
    lenSums: header.lenSums,
    totalDf: header.totalDf,
    maxTermLength: header.maxTermLength,
    frozen,
  });
  return { kb, config: header.config, norms, ...(header.vectors ? { vectors: vectorLoader(header, read) } : {}) };
}

/** Reads the vector regions on demand, checking their sizes against the header. */
function vectorLoader(header: Header, read: BodyReader): NonNullable<DecodedIndex['vectors']> {
  const { model, dims } = header.vectors!;
  const { vectorData, vectorScales } = header.regions;
  if (!Number.isInteger(dims) || dims < 1 || vectorData[1] !== header.sections * dims || vectorScales[1] !== header.sections * 4) {
    throw formatError('index file is damaged (vector table size)');
  }
  let loaded: IndexVectors | undefined;
  return {
    model,
    dims,
    load() {
      if (!loaded) {
        const raw = read(vectorData[0], vectorData[1]);
        const scales = aligned(read(vectorScales[0], vectorScales[1]), 4);
        loaded = {
          model,
          dims,
          data: new Int8Array(raw.buffer, raw.byteOffset, raw.length),
          scales: new Float32Array(scales.buffer, scales.byteOffset, header.sections),
        };
      }
      return loaded;
    },
  };
}

/** `bytes` itself when its offset is a multiple of `n`, else an aligned copy (a pooled Buffer). */
function aligned(bytes: Uint8Array, n: number): Uint8Array {
  return bytes.byteOffset % n === 0 ? bytes : new Uint8Array(bytes);
}

/**
 * A stored scored block: the steps as a typed-array view, the ids as Int32Array (one native
 * copy from u16, so the scoring loops see one array type whatever the file holds).
 */
function scoredViews(input: Uint8Array, count: number, idBytes: 2 | 4, maxStep: number): Posting {
  const used = count * (idBytes + 2);
  if (input.length < used || input.length >= used + idBytes) throw formatError('index file is damaged (scored posting size)');
  const block = aligned(input, idBytes);
  const at = block.byteOffset;
  const ids = idBytes === 2 ? new Int32Array(new Uint16Array(block.buffer, at, count)) : new Int32Array(block.buffer, at, count);
  return { ids, tfs: new Uint16Array(0), steps: new Uint16Array(block.buffer, at + idBytes * count, count), maxStep };
}

function decodePosting(blob: Uint8Array, count: number): Posting {
  const ids = new Int32Array(count);
  const tfs = new Uint16Array(count * FIELD_COUNT);
  let at = 0;
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

/**
 * Decodes a posting straight into ids and impact steps (stepOfTf), with tf the sum of field
 * counts times the section's length norms: what the scorer needs, in one pass.
 */
function decodeScored(blob: Uint8Array, count: number, norms: Float32Array, k1: number): Posting {
  const ids = new Int32Array(count);
  const steps = new Uint16Array(count);
  let at = 0;
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
    const base = id * FIELD_COUNT;
    let tf = 0;
    for (let f = 0; f < FIELD_COUNT; f++) {
      let code = (mask >> (2 * f)) & 3;
      if (code === 0) continue;
      if (code === 3) {
        b = blob[at++]!;
        code = b & 0x7f;
        for (let shift = 7; b & 0x80; shift += 7) {
          b = blob[at++]!;
          code += (b & 0x7f) * 2 ** shift;
        }
        code = Math.min(code, 0xffff);
      }
      tf += code * norms[base + f]!;
    }
    steps[i] = stepOfTf(tf, k1);
  }
  return { ids, tfs: new Uint16Array(0), steps };
}
