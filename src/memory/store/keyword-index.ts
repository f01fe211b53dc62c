import type { TokenCounts } from "./keyword-tokenizer.js";

// FTS5's bm25 constants (fts5_aux.c, fts5Bm25Function).
const K1 = 1.2;
const B = 0.75;
const MIN_IDF = 1e-6;

/** One term's postings: doc ids ascending, with the term's frequency in each. */
export class Postings {
  docs: Int32Array;
  freqs: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.docs = new Int32Array(Math.max(capacity, 4));
    this.freqs = new Int32Array(this.docs.length);
  }

  /** Appends a doc id larger than every one held (the build reads them in order). */
  append(docId: number, freq: number): void {
    if (this.length === this.docs.length) this.#grow();
    this.docs[this.length] = docId;
    this.freqs[this.length] = freq;
    this.length++;
  }

  insert(docId: number, freq: number): void {
    if (this.length === 0 || this.docs[this.length - 1]! < docId) {
      this.append(docId, freq);
      return;
    }
    const at = this.#find(docId);
    if (at < this.length && this.docs[at] === docId) {
      this.freqs[at] = freq;
      return;
    }
    if (this.length === this.docs.length) this.#grow();
    this.docs.copyWithin(at + 1, at, this.length);
    this.freqs.copyWithin(at + 1, at, this.length);
    this.docs[at] = docId;
    this.freqs[at] = freq;
    this.length++;
  }

  /** False when the doc was not there: the index no longer matches the file. */
  remove(docId: number): boolean {
    const at = this.#find(docId);
    if (at >= this.length || this.docs[at] !== docId) return false;
    this.docs.copyWithin(at, at + 1, this.length);
    this.freqs.copyWithin(at, at + 1, this.length);
    this.length--;
    return true;
  }

  get bytes(): number {
    return this.docs.byteLength + this.freqs.byteLength;
  }

  #find(docId: number): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.docs[middle]! < docId) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #grow(): void {
    const docs = new Int32Array(this.docs.length * 2);
    docs.set(this.docs);
    const freqs = new Int32Array(docs.length);
    freqs.set(this.freqs);
    this.docs = docs;
    this.freqs = freqs;
  }
}

export interface KeywordHit {
  docId: number;
  /** bm25 as FTS5 returns it: negated, lower is better. */
  rank: number;
}

/**
 * An inverted index of memories_fts held in typed arrays, scoring OR queries with FTS5's exact
 * bm25. FTS5 runs bm25 once per matching row through SQLite's VM and auxiliary-function calls
 * (tens of milliseconds for common words over 100 000 memories); summing postings here takes a
 * fraction of that, and gives the same numbers because it is the same formula, evaluated in the
 * same order, over the same counts (FTS5's own tokens, doc sizes and totals).
 */
export class KeywordIndex {
  readonly #terms = new Map<string, Postings>();
  /** Tokens per doc, by doc id; -1 where no doc is held. */
  #lengths = new Int32Array(1024).fill(-1);
  #rows: number;
  #tokens: number;
  #scores = new Float64Array(0);
  #touched = new Uint8Array(0);

  constructor(rows: number, tokens: number) {
    this.#rows = rows;
    this.#tokens = tokens;
  }

  /** Build step: the postings of `term`, sized for `docCount` docs, to be filled in doc order. */
  startTerm(term: string, docCount: number): Postings {
    const postings = new Postings(docCount);
    this.#terms.set(term, postings);
    return postings;
  }

  /** Build step: a doc's length, without touching the totals (they come from FTS5's own record). */
  setLength(docId: number, length: number): void {
    this.#ensure(docId);
    this.#lengths[docId] = length;
  }

  /** False when the doc is held already: the caller must rebuild. */
  add(docId: number, counts: TokenCounts): boolean {
    this.#ensure(docId);
    if (this.#lengths[docId] !== -1) return false;
    for (const [term, freq] of counts.terms) {
      let postings = this.#terms.get(term);
      if (postings === undefined) {
        postings = new Postings(1);
        this.#terms.set(term, postings);
      }
      postings.insert(docId, freq);
    }
    this.#lengths[docId] = counts.length;
    this.#rows++;
    this.#tokens += counts.length;
    return true;
  }

  /** False when the doc's terms were not all found: the caller must rebuild. */
  remove(docId: number, counts: TokenCounts): boolean {
    let consistent = docId < this.#lengths.length && this.#lengths[docId] === counts.length;
    for (const term of counts.terms.keys()) {
      const postings = this.#terms.get(term);
      if (postings === undefined || !postings.remove(docId)) consistent = false;
      else if (postings.length === 0) this.#terms.delete(term);
    }
    if (docId < this.#lengths.length) this.#lengths[docId] = -1;
    this.#rows--;
    this.#tokens -= counts.length;
    return consistent;
  }

  /**
   * The best `limit` docs matching any term, by FTS5's bm25; a term listed twice counts twice, as
   * a repeated phrase does in FTS5. Equal scores come in doc id order, as FTS5 returns them.
   * `among` keeps only those docs (a tag filter): bm25's statistics stay the whole table's, as
   * they do when FTS5 runs `MATCH ... AND rowid IN (...)`.
   */
  search(terms: readonly string[], limit: number, among?: ReadonlySet<number>): KeywordHit[] {
    if (this.#rows <= 0 || limit <= 0) return [];
    this.#ensureScratch();
    const scores = this.#scores;
    const touched = this.#touched;
    const lengths = this.#lengths;
    const hitDocs: number[] = [];
    const avgdl = this.#tokens / this.#rows;
    for (const term of terms) {
      const postings = this.#terms.get(term);
      if (postings === undefined) continue;
      const hits = postings.length;
      let idf = Math.log((this.#rows - hits + 0.5) / (hits + 0.5));
      if (idf <= 0.0) idf = MIN_IDF;
      const { docs, freqs } = postings;
      for (let index = 0; index < hits; index++) {
        const doc = docs[index]!;
        const freq = freqs[index]!;
        // The expression of fts5Bm25Function, operation for operation, so the doubles agree.
        const weight = idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + (B * lengths[doc]!) / avgdl)));
        if (touched[doc] === 0) {
          touched[doc] = 1;
          hitDocs.push(doc);
          scores[doc] = weight;
        } else scores[doc] = scores[doc]! + weight;
      }
    }
    const best = topK(among === undefined ? hitDocs : hitDocs.filter((doc) => among.has(doc)), scores, limit);
    for (const doc of hitDocs) touched[doc] = 0;
    return best.map((doc) => ({ docId: doc, rank: -1.0 * scores[doc]! }));
  }

  /** Bytes held in typed arrays (postings, lengths, scratch); term strings and maps come on top. */
  get bytes(): number {
    let bytes = this.#lengths.byteLength + this.#scores.byteLength + this.#touched.byteLength;
    for (const postings of this.#terms.values()) bytes += postings.bytes;
    return bytes;
  }

  get termCount(): number {
    return this.#terms.size;
  }

  #ensure(docId: number): void {
    if (docId < this.#lengths.length) return;
    let size = this.#lengths.length;
    while (size <= docId) size *= 2;
    const lengths = new Int32Array(size).fill(-1);
    lengths.set(this.#lengths);
    this.#lengths = lengths;
  }

  #ensureScratch(): void {
    if (this.#scores.length === this.#lengths.length) return;
    this.#scores = new Float64Array(this.#lengths.length);
    this.#touched = new Uint8Array(this.#lengths.length);
  }
}

/** Better first: higher score, then lower doc id. */
function better(scores: Float64Array, a: number, b: number): boolean {
  const difference = scores[a]! - scores[b]!;
  return difference > 0 || (difference === 0 && a < b);
}

/** The `limit` best docs, best first, through a min-heap whose root is the worst kept. */
function topK(docs: number[], scores: Float64Array, limit: number): number[] {
  const heap: number[] = [];
  for (const doc of docs) {
    if (heap.length < limit) {
      heap.push(doc);
      siftUp(heap, scores, heap.length - 1);
    } else if (better(scores, doc, heap[0]!)) {
      heap[0] = doc;
      siftDown(heap, scores, 0);
    }
  }
  return heap.sort((a, b) => (better(scores, a, b) ? -1 : 1));
}

function siftUp(heap: number[], scores: Float64Array, at: number): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!better(scores, heap[parent]!, heap[at]!)) break;
    [heap[parent], heap[at]] = [heap[at]!, heap[parent]!];
    at = parent;
  }
}

function siftDown(heap: number[], scores: Float64Array, at: number): void {
  for (;;) {
    const left = at * 2 + 1;
    const right = left + 1;
    let worst = at;
    if (left < heap.length && better(scores, heap[worst]!, heap[left]!)) worst = left;
    if (right < heap.length && better(scores, heap[worst]!, heap[right]!)) worst = right;
    if (worst === at) return;
    [heap[worst], heap[at]] = [heap[at]!, heap[worst]!];
    at = worst;
  }
}
