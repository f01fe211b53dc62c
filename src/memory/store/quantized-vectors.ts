/**
 * An in-process, quantized copy of a store's vectors, for nearest-neighbour candidates. Each
 * vector is kept twice, small: one sign bit per dimension (hamming distance, a cheap coarse
 * filter) and one int8 per dimension of the unit vector (a close cosine estimate). Exact
 * distances come from sqlite-vec afterwards; this only chooses which memories to score.
 *
 * Why not inside sqlite-vec (0.1.9): measured at 100 000 memories, its `bit[N]` KNN takes ~15×
 * longer at k = 512 than at k = 32, and a `rowid IN (…)` rescoring query scans the whole float
 * table, so a coarse filter there is slower than the exact scan it would replace.
 */
export class QuantizedVectors {
  readonly dimensions: number;
  readonly #words: number;
  #docIds: Float64Array;
  #bits: Uint32Array;
  #codes: Int8Array;
  /** Per vector: the factor its int8 codes were scaled by, to undo when estimating cosine. */
  #scales: Float32Array;
  readonly #slotOf = new Map<number, number>();
  #size = 0;

  constructor(dimensions: number, capacity = 1024) {
    this.dimensions = dimensions;
    this.#words = Math.ceil(dimensions / 32);
    this.#docIds = new Float64Array(capacity);
    this.#bits = new Uint32Array(capacity * this.#words);
    this.#codes = new Int8Array(capacity * dimensions);
    this.#scales = new Float32Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  has(docId: number): boolean {
    return this.#slotOf.has(docId);
  }

  put(docId: number, vector: Float32Array): void {
    if (vector.length !== this.dimensions) return;
    let slot = this.#slotOf.get(docId);
    if (slot === undefined) {
      if (this.#size === this.#docIds.length) this.#grow();
      slot = this.#size++;
      this.#slotOf.set(docId, slot);
      this.#docIds[slot] = docId;
    }
    this.#encode(slot, vector);
  }

  remove(docId: number): void {
    const slot = this.#slotOf.get(docId);
    if (slot === undefined) return;
    this.#slotOf.delete(docId);
    const last = --this.#size;
    if (slot === last) return;
    // Swap the last vector into the hole: slots stay dense, so a scan never skips holes.
    const lastDocId = this.#docIds[last]!;
    this.#docIds[slot] = lastDocId;
    this.#slotOf.set(lastDocId, slot);
    this.#bits.copyWithin(slot * this.#words, last * this.#words, (last + 1) * this.#words);
    this.#codes.copyWithin(slot * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
    this.#scales[slot] = this.#scales[last]!;
  }

  /**
   * The `count` doc ids whose int8 cosine estimate is highest, chosen among the `shortlist`
   * nearest by hamming distance (all of them when the store holds fewer).
   */
  candidates(query: Float32Array, count: number, shortlist: number): number[] {
    if (this.#size === 0 || query.length !== this.dimensions) return [];
    const slots = this.#size <= shortlist ? allSlots(this.#size) : this.#hammingShortlist(query, shortlist);
    const scores = new Float64Array(slots.length);
    const dimensions = this.dimensions;
    const codes = this.#codes;
    // Doubles up front: the same products in the same order, without a float32 widening per load.
    const wide = Float64Array.from(query);
    for (let index = 0; index < slots.length; index++) {
      const slot = slots[index]!;
      const offset = slot * dimensions;
      let dot = 0;
      for (let dimension = 0; dimension < dimensions; dimension++) {
        dot += codes[offset + dimension]! * wide[dimension]!;
      }
      scores[index] = dot / this.#scales[slot]!;
    }
    return topIndexes(scores, count).map((index) => this.#docIds[slots[index]!]!);
  }

  #hammingShortlist(query: Float32Array, shortlist: number): Uint32Array {
    const queryBits = new Uint32Array(this.#words);
    signBits(query, queryBits, 0);
    const words = this.#words;
    const bits = this.#bits;
    const distances = new Uint16Array(this.#size);
    const histogram = new Uint32Array(this.dimensions + 1);
    for (let slot = 0; slot < this.#size; slot++) {
      let distance = 0;
      const offset = slot * words;
      for (let word = 0; word < words; word++) distance += popcount(bits[offset + word]! ^ queryBits[word]!);
      distances[slot] = distance;
      histogram[distance]!++;
    }
    // Counting, not sorting: distances are small integers, so the cut-off is one pass away.
    let threshold = 0;
    for (let seen = 0; threshold <= this.dimensions; threshold++) {
      seen += histogram[threshold]!;
      if (seen >= shortlist) break;
    }
    const slots: number[] = [];
    for (let slot = 0; slot < this.#size; slot++) if (distances[slot]! <= threshold) slots.push(slot);
    return Uint32Array.from(slots);
  }

  #encode(slot: number, vector: Float32Array): void {
    const dimensions = this.dimensions;
    this.#bits.fill(0, slot * this.#words, (slot + 1) * this.#words);
    signBits(vector, this.#bits, slot * this.#words);
    let squared = 0;
    let largest = 0;
    for (let dimension = 0; dimension < dimensions; dimension++) {
      const value = vector[dimension]!;
      squared += value * value;
      largest = Math.max(largest, Math.abs(value));
    }
    const norm = Math.sqrt(squared);
    // Scale so the largest component of the unit vector maps to ±127: the full int8 range.
    const scale = norm > 0 && largest > 0 ? (127 * norm) / largest : 1;
    const offset = slot * dimensions;
    for (let dimension = 0; dimension < dimensions; dimension++) {
      this.#codes[offset + dimension] = norm > 0 ? Math.round((vector[dimension]! / norm) * scale) : 0;
    }
    this.#scales[slot] = scale;
  }

  #grow(): void {
    const capacity = this.#docIds.length * 2;
    const grown = <T extends Float64Array | Uint32Array | Int8Array | Float32Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.#docIds = grown(this.#docIds, new Float64Array(capacity));
    this.#bits = grown(this.#bits, new Uint32Array(capacity * this.#words));
    this.#codes = grown(this.#codes, new Int8Array(capacity * this.dimensions));
    this.#scales = grown(this.#scales, new Float32Array(capacity));
  }
}

function signBits(vector: Float32Array, into: Uint32Array, offset: number): void {
  for (let dimension = 0; dimension < vector.length; dimension++) {
    if (vector[dimension]! > 0) into[offset + (dimension >> 5)]! |= 1 << (dimension & 31);
  }
}

// Bits set in each 16-bit value: two table loads are cheaper than the arithmetic popcount here.
const POPCOUNT16 = new Uint8Array(1 << 16);
for (let value = 1; value < POPCOUNT16.length; value++)
  POPCOUNT16[value] = (value & 1) + POPCOUNT16[value >>> 1]!;

function popcount(word: number): number {
  return POPCOUNT16[word & 0xffff]! + POPCOUNT16[word >>> 16]!;
}

/**
 * Indexes of the `count` highest scores, highest first, equal scores in index order: what a
 * stable sort of every index would give, without sorting thousands of them through a comparator.
 */
function topIndexes(scores: Float64Array, count: number): number[] {
  if (count <= 0 || scores.length === 0) return [];
  const take = Math.min(count, scores.length);
  // The take-th highest score, by a native numeric sort of a copy.
  const threshold = Float64Array.from(scores).sort()[scores.length - take]!;
  const above: number[] = [];
  const at: number[] = [];
  for (let index = 0; index < scores.length; index++) {
    if (scores[index]! > threshold) above.push(index);
    else if (scores[index] === threshold) at.push(index);
  }
  above.sort((a, b) => scores[b]! - scores[a]! || a - b);
  for (const index of at) {
    if (above.length === take) break;
    above.push(index);
  }
  return above;
}

function allSlots(size: number): Uint32Array {
  const slots = new Uint32Array(size);
  for (let slot = 0; slot < size; slot++) slots[slot] = slot;
  return slots;
}
