// What an encoded image is, from its first bytes, and how small it can possibly be for the size
// its header claims: both checked before sharp (libvips) sees the bytes.

/** The formats `loadImage` decodes (README: JPEG, PNG, WebP, GIF, AVIF, TIFF). */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff';

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

/**
 * The format of `bytes` by its signature, or `undefined` for anything else. libvips itself loads
 * more (SVG through librsvg, PDF, PPM, FITS, its own .v, ...): an allow-list keeps those loaders,
 * with their own costs and attack surface (a 184-byte SVG with one blur filter ran 8 minutes at
 * 2.7 GB), out of reach of a file that merely has an image's name.
 */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'gif';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'webp';
  if (ascii(bytes, 0, 'II*\0') || ascii(bytes, 0, 'MM\0*')) return 'tiff';
  // ISO-BMFF: a leading `ftyp` box whose major or compatible brands name AVIF.
  if (ascii(bytes, 4, 'ftyp')) {
    const size = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    const end = Math.min(bytes.length, Math.max(16, size));
    for (let at = 8; at + 4 <= end; at += 4) {
      if (at === 12) continue; // minor version, not a brand
      if (ascii(bytes, at, 'avif') || ascii(bytes, at, 'avis')) return 'avif';
    }
  }
  return undefined;
}

/** A short name for what the bytes look like, for the message refusing them. */
export function describeUnsupported(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1').trimStart().toLowerCase();
  if (head.includes('<svg')) return 'an SVG document (vector graphics are not decoded: render it to PNG first)';
  if (head.startsWith('%pdf')) return 'a PDF document';
  if (ascii(bytes, 4, 'ftyp')) return 'an ISO media file that is not AVIF (HEIC and video are not decoded)';
  return 'not a JPEG, PNG, WebP, GIF, AVIF or TIFF image';
}

export interface ClaimedSize {
  width: number;
  height: number;
  /** The fewest bytes any complete file of this format and header can have. */
  minBytes: number;
  /** Why `minBytes`, for the message. */
  rule: string;
}

const u16 = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];
const u32 = (b: Uint8Array, at: number): number =>
  ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/**
 * A Huffman-coded JPEG (SOF0-3: baseline, extended, progressive, lossless) codes every 8x8 block
 * of every component, and each block's DC coefficient takes a Huffman code of at least 1 bit (a
 * progressive file's later scans can skip a block in a run, its first DC scan cannot). So a
 * complete file holds at least one bit per block: 195 KB for 10000x10000 grey, however uniform
 * (a flat 4000x4000 grey image from mozjpeg, progressive and optimised: 31,421 bytes for a bound
 * of 31,250). Arithmetic-coded and hierarchical JPEGs (rare) are not checked.
 */
function jpegClaim(b: Uint8Array): ClaimedSize | undefined {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined; // not at a marker: corrupt, sharp will say so
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan data or end before any frame header
    const length = u16(b, at + 2);
    if (marker >= 0xc0 && marker <= 0xc3) {
      const f = at + 4;
      if (f + 6 > b.length) return undefined;
      const height = u16(b, f + 1);
      const width = u16(b, f + 3);
      const n = b[f + 5];
      if (width === 0 || height === 0 || n === 0 || f + 6 + 3 * n > b.length) return undefined; // DNL, or cut
      const comps: { h: number; v: number }[] = [];
      for (let i = 0; i < n; i++) {
        const hv = b[f + 6 + 3 * i + 1];
        comps.push({ h: Math.max(1, hv >> 4), v: Math.max(1, hv & 15) });
      }
      const hMax = Math.max(...comps.map((c) => c.h));
      const vMax = Math.max(...comps.map((c) => c.v));
      let blocks = 0;
      for (const c of comps)
        blocks += Math.ceil(Math.ceil((width * c.h) / hMax) / 8) * Math.ceil(Math.ceil((height * c.v) / vMax) / 8);
      return {
        width,
        height,
        minBytes: Math.ceil(blocks / 8),
        rule: `its ${blocks} 8x8 blocks need at least 1 bit each`,
      };
    }
    if (marker >= 0xc5 && marker <= 0xcf && marker !== 0xc8 && marker !== 0xcc) return undefined; // not checked
    at += 2 + length;
  }
  return undefined;
}

/**
 * PNG: the pixels are zlib-compressed rows (a filter byte each, then the samples), and deflate
 * compresses at most 1032:1 (a 258-byte match costs at least 2 bits), so a complete file holds
 * at least 1/1032 of the raw rows (a flat 4000x4000 1-bit image: 2,058 bytes for a bound of 1,942).
 */
function pngClaim(b: Uint8Array): ClaimedSize | undefined {
  if (b.length < 29 || !ascii(b, 12, 'IHDR')) return undefined;
  const width = u32(b, 16);
  const height = u32(b, 20);
  const depth = b[24];
  const samples = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[b[25]];
  if (!samples || width === 0 || height === 0) return undefined;
  const interlaced = b[28] === 1;
  // Interlaced: the passes hold at least the samples themselves (a lower bound on the rows).
  const raw = interlaced
    ? Math.ceil((width * height * depth * samples) / 8)
    : height * (1 + Math.ceil((width * depth * samples) / 8));
  return {
    width,
    height,
    minBytes: Math.ceil(raw / 1032),
    rule: `its ${raw} bytes of rows compress at most 1032:1 (deflate)`,
  };
}

/** What the header of a JPEG or PNG claims, and the fewest bytes that can hold it; `undefined` otherwise. */
export function claimedSize(bytes: Uint8Array, format: ImageFormat | undefined): ClaimedSize | undefined {
  if (format === 'jpeg') return jpegClaim(bytes);
  if (format === 'png') return pngClaim(bytes);
  return undefined;
}
