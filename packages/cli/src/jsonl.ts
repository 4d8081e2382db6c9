import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';

export interface JsonlContents {
  /** The parsed lines that are JSON objects, in file order. */
  records: Record<string, unknown>[];
  /** The 1-based line number of each record. */
  lineNumbers?: number[];
  /** The 1-based numbers of the complete lines that are not a JSON object (damaged). */
  badLineNumbers?: number[];
  /** Byte length of the complete lines (everything up to and including the last `\n`). */
  completeBytes: number;
  /** Bytes after the last `\n`: a line cut by a crash while it was written. */
  partialTailBytes: number;
  /** Complete lines that are not a JSON object (a damaged file); skipped. */
  badLines: number;
}

/** Read a JSONL file; a missing file reads as empty. Tolerates a cut last line and reports it. */
export function readJsonl(path: string): JsonlContents {
  if (!existsSync(path)) return { records: [], completeBytes: 0, partialTailBytes: 0, badLines: 0 };
  const bytes = readFileSync(path);
  const end = bytes.lastIndexOf(0x0a) + 1;
  const records: Record<string, unknown>[] = [];
  const lineNumbers: number[] = [];
  const badLineNumbers: number[] = [];
  bytes
    .subarray(0, end)
    .toString('utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const v: unknown = JSON.parse(line);
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          records.push(v as Record<string, unknown>);
          lineNumbers.push(i + 1);
        } else badLineNumbers.push(i + 1);
      } catch {
        badLineNumbers.push(i + 1);
      }
    });
  return {
    records,
    lineNumbers,
    badLineNumbers,
    completeBytes: end,
    partialTailBytes: bytes.length - end,
    badLines: badLineNumbers.length,
  };
}

/** A line `mtcnn detect` writes: `{ file, width, height, faces }` or `{ file, error: { code, message } }`. */
export function isDetectEntry(r: Record<string, unknown>): boolean {
  if (typeof r.file !== 'string') return false;
  const e = r.error as { code?: unknown; message?: unknown } | undefined;
  if (e !== undefined) return e !== null && typeof e.code === 'string' && typeof e.message === 'string';
  return typeof r.width === 'number' && typeof r.height === 'number' && Array.isArray(r.faces);
}

/**
 * What the file at `path` is, for -o: `missing`, `empty`, `jsonl` (at least one of our entries,
 * or only a line cut by a crash), `foreign` (anything else: an image, a text file, binary data) or
 * not a regular file (`directory`, `other`). Only the first 64 KiB are read to tell a foreign file.
 */
export function outputKind(path: string): 'missing' | 'empty' | 'jsonl' | 'foreign' | 'directory' | 'other' {
  let st: import('node:fs').Stats;
  try {
    st = statSync(path);
  } catch {
    return 'missing';
  }
  if (st.isDirectory()) return 'directory';
  if (!st.isFile()) return 'other';
  if (st.size === 0) return 'empty';
  const head = Buffer.alloc(Math.min(st.size, 65_536));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  // Ours is UTF-8 text of JSON objects, one a line: no NUL, and it starts with '{'.
  if (head.includes(0) || head.toString('utf8').trimStart()[0] !== '{') return 'foreign';
  const { records, completeBytes } = readJsonl(path);
  if (completeBytes === 0) return 'jsonl'; // one line cut by a crash before its newline
  return records.some(isDetectEntry) ? 'jsonl' : 'foreign';
}

/**
 * Appends one JSON line per record with a synchronous `write(2)`: once `write` returns, the line is
 * in the OS's hands, so a crash or kill of this process loses nothing already written (only the
 * images still being processed). No fsync per line: that protects against power loss only, at a
 * cost per image.
 */
export class JsonlWriter {
  private fd: number | undefined;

  /**
   * `mode: 'append'` keeps the file's complete lines and drops a cut last line (left by a crash),
   * so the next line starts clean; `'truncate'` starts the file empty.
   */
  constructor(
    readonly path: string,
    mode: 'append' | 'truncate',
  ) {
    if (mode === 'truncate') {
      this.fd = openSync(path, 'w');
      return;
    }
    const { completeBytes, partialTailBytes } = readJsonl(path);
    this.fd = openSync(path, 'a');
    if (partialTailBytes > 0) ftruncateSync(this.fd, completeBytes);
  }

  write(record: unknown): void {
    if (this.fd === undefined) throw new Error(`JsonlWriter(${this.path}) is closed.`);
    const buf = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
