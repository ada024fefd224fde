/**
 * Section vectors, quantized: each vector is L2-normalized, then stored as int8 with one f32
 * scale (its largest magnitude / 127). A 1,024-dimension float vector takes 4 KiB; this takes
 * 1 KiB + 4 bytes, and cosine similarity stays within about 1 % (int8 rounding), far below
 * the gap between a relevant and an unrelated section.
 */
export interface QuantizedVectors {
  dims: number;
  /** `count × dims` int8 values. */
  data: Int8Array;
  /** One scale per vector; 0 for a zero vector. */
  scales: Float32Array;
}

/** Quantizes vectors of one length into one block. */
export function quantize(vectors: readonly Float32Array[], dims: number): QuantizedVectors {
  const data = new Int8Array(vectors.length * dims);
  const scales = new Float32Array(vectors.length);
  vectors.forEach((v, i) => {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += v[d]! * v[d]!;
    norm = Math.sqrt(norm);
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(v[d]! / (norm || 1)));
    if (norm === 0 || max === 0) return;
    const scale = max / 127;
    scales[i] = scale;
    for (let d = 0; d < dims; d++) data[i * dims + d] = Math.round(v[d]! / norm / scale);
  });
  return { dims, data, scales };
}

/** The query side: normalized floats (it is one vector, no need to quantize it). */
export function normalized(v: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < v.length; d++) norm += v[d]! * v[d]!;
  norm = Math.sqrt(norm) || 1;
  return v.map((x) => x / norm);
}

/**
 * Cosine similarity of a normalized query with every stored vector; `live(i)` skips removed
 * sections. Returns the best `limit` as [index, similarity], best first.
 */
export function nearest(q: Float32Array, vectors: QuantizedVectors, limit: number, live: (i: number) => boolean): Array<[number, number]> {
  const { dims, data, scales } = vectors;
  const count = scales.length;
  const best: Array<[number, number]> = [];
  let floor = -Infinity;
  for (let i = 0; i < count; i++) {
    const scale = scales[i]!;
    if (scale === 0 || !live(i)) continue;
    let dot = 0;
    const base = i * dims;
    for (let d = 0; d < dims; d++) dot += q[d]! * data[base + d]!;
    const sim = dot * scale;
    if (best.length >= limit && sim <= floor) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]![1] < sim) at--;
    best.splice(at, 0, [i, sim]);
    if (best.length > limit) best.pop();
    if (best.length >= limit) floor = best[best.length - 1]![1];
  }
  return best;
}
