import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

export interface JsonlContents {
  /** The parsed lines that are JSON objects, in file order. */
  records: Record<string, unknown>[];
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
  let badLines = 0;
  for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v: unknown = JSON.parse(line);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) records.push(v as Record<string, unknown>);
      else badLines++;
    } catch {
      badLines++;
    }
  }
  return { records, completeBytes: end, partialTailBytes: bytes.length - end, badLines };
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
