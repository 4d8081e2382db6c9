#!/usr/bin/env node
// Where two FDDB runs differ: the faces one finds (FDDB match, overlap > 0.5) that the other
// misses, and the false positives of each, split by whether the face or box is cut by the image
// border. The evidence behind the border-mode section of docs/accuracy.md.
//   node packages/eval/dist/compare.js A.jsonl B.jsonl [--threshold 0.7] [--list dev|all] [--faces]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { readJsonl } from '@mtcnn/cli';
import { SHARED_DIR } from './args.js';

type XYWH = [number, number, number, number];
export interface GtImage {
  file: string;
  width: number;
  height: number;
  faces: { box_unclipped: XYWH; ellipse: unknown }[];
}
interface RunFace {
  box: XYWH;
  confidence: number;
}

/** The evaluator's own geometry (../shared/tools/eval-faces.mjs exports it), so both agree by construction. */
export interface Evaluator {
  ellipseSpans(e: unknown, w: number, h: number): unknown;
  rectPixels(box: XYWH, w: number, h: number): unknown;
  ellipseRectIoU(e: unknown, r: unknown): number;
  hungarianMax(w: number[][]): [number, number][];
}

export const cutByBorder = (b: readonly number[], w: number, h: number): boolean =>
  b[0] < 0 || b[1] < 0 || b[0] + b[2] > w || b[1] + b[3] > h;

/** FDDB's matching of one image at one threshold: which faces are found, which detections are false. */
function matchImage(ev: Evaluator, g: GtImage, dets: readonly RunFace[]): { found: Set<number>; falsePos: number[] } {
  const E = g.faces.map((f) => ev.ellipseSpans(f.ellipse, g.width, g.height));
  const w = g.faces.map((_, gi) => dets.map((d) => ev.ellipseRectIoU(E[gi], ev.rectPixels(d.box, g.width, g.height))));
  const found = new Set<number>();
  const used = new Set<number>();
  if (dets.length > 0 && g.faces.length > 0) {
    for (const [r, c] of ev.hungarianMax(w)) {
      if (w[r][c] > 0.5) {
        found.add(r);
        used.add(c);
      }
    }
  }
  return { found, falsePos: dets.map((_, i) => i).filter((i) => !used.has(i)) };
}

export interface OnlyOne {
  file: string;
  face: number;
  cut: boolean;
  other: { overlap: number; confidence: number };
}

export interface Comparison {
  threshold: number;
  images: number;
  imagesDiffering: number;
  /**
   * Faces found by A only / B only, whether the image border cuts them, and the other run's best
   * detection of that face at any score (overlap and confidence): a good overlap with a low score
   * means the other run saw the face but doubted it.
   */
  onlyA: OnlyOne[];
  onlyB: OnlyOne[];
  falsePositives: { a: number; aCut: number; b: number; bCut: number };
}

/** Compare runs A and B (entries by file) on the annotated images `gt`, keeping faces with confidence > `threshold`. */
export function compareRuns(
  ev: Evaluator,
  gt: readonly GtImage[],
  a: ReadonlyMap<string, RunFace[]>,
  b: ReadonlyMap<string, RunFace[]>,
  threshold: number,
): Comparison {
  const c: Comparison = {
    threshold,
    images: gt.length,
    imagesDiffering: 0,
    onlyA: [],
    onlyB: [],
    falsePositives: { a: 0, aCut: 0, b: 0, bCut: 0 },
  };
  for (const g of gt) {
    const da = (a.get(g.file) ?? []).filter((f) => f.confidence > threshold);
    const db = (b.get(g.file) ?? []).filter((f) => f.confidence > threshold);
    if (JSON.stringify(da) !== JSON.stringify(db)) c.imagesDiffering++;
    const ma = matchImage(ev, g, da);
    const mb = matchImage(ev, g, db);
    const cut = (gi: number) => cutByBorder(g.faces[gi].box_unclipped, g.width, g.height);
    const E = g.faces.map((f) => ev.ellipseSpans(f.ellipse, g.width, g.height));
    const best = (gi: number, all: readonly RunFace[]) => {
      let top = { overlap: 0, confidence: 0 };
      for (const d of all) {
        const o = ev.ellipseRectIoU(E[gi], ev.rectPixels(d.box, g.width, g.height));
        if (o > top.overlap) top = { overlap: o, confidence: d.confidence };
      }
      return top;
    };
    for (const gi of ma.found)
      if (!mb.found.has(gi))
        c.onlyA.push({ file: g.file, face: gi, cut: cut(gi), other: best(gi, b.get(g.file) ?? []) });
    for (const gi of mb.found)
      if (!ma.found.has(gi))
        c.onlyB.push({ file: g.file, face: gi, cut: cut(gi), other: best(gi, a.get(g.file) ?? []) });
    c.falsePositives.a += ma.falsePos.length;
    c.falsePositives.aCut += ma.falsePos.filter((i) => cutByBorder(da[i].box, g.width, g.height)).length;
    c.falsePositives.b += mb.falsePos.length;
    c.falsePositives.bCut += mb.falsePos.filter((i) => cutByBorder(db[i].box, g.width, g.height)).length;
  }
  return c;
}

export function formatComparison(c: Comparison, nameA: string, nameB: string): string {
  const cut = (xs: OnlyOne[]) => xs.filter((x) => x.cut).length;
  const doubted = (xs: OnlyOne[]) => xs.filter((x) => x.other.overlap > 0.5).length;
  return [
    `${c.images} images, faces with confidence > ${c.threshold}: ${c.imagesDiffering} images differ`,
    `  faces found by ${nameA} only: ${c.onlyA.length} (${cut(c.onlyA)} cut by the image ` +
      `border; ${doubted(c.onlyA)} of them ${nameB} boxes well, overlap > 0.5, at a lower score)`,
    `  faces found by ${nameB} only: ${c.onlyB.length} (${cut(c.onlyB)} cut by the image ` +
      `border; ${doubted(c.onlyB)} of them ${nameA} boxes well, overlap > 0.5, at a lower score)`,
    `  false positives: ${nameA} ${c.falsePositives.a} (${c.falsePositives.aCut} boxes ` +
      `leaving the image), ${nameB} ${c.falsePositives.b} (${c.falsePositives.bCut} leaving it)`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const pos = argv.filter((x, i) => !x.startsWith('--') && !argv[i - 1]?.match(/^--(threshold|list|data|evaluator)$/));
  const opt = (name: string, dflt: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
  };
  if (pos.length !== 2) {
    process.stderr.write(
      'usage: node packages/eval/dist/compare.js A.jsonl B.jsonl [--threshold 0.7] [--list dev|all] [--faces]\n',
    );
    return 2;
  }
  const data = opt('data', `${SHARED_DIR}data/fddb/`).replace(/\/?$/, '/');
  const ev = (await import(pathToFileURL(opt('evaluator', `${SHARED_DIR}tools/eval-faces.mjs`)).href)) as Evaluator;
  let gt = JSON.parse(readFileSync(`${data}annotations.json`, 'utf8')) as GtImage[];
  if (opt('list', 'dev') === 'dev') {
    const dev = new Set(
      readFileSync(`${data}dev.txt`, 'utf8')
        .split('\n')
        .map((s) => s.trim()),
    );
    gt = gt.filter((g) => dev.has(g.file));
  }
  const load = (p: string) =>
    new Map(readJsonl(p).records.map((r) => [r.file as string, (r.faces as RunFace[] | undefined) ?? []]));
  const c = compareRuns(ev, gt, load(pos[0]), load(pos[1]), Number(opt('threshold', '0.7')));
  process.stdout.write(`${formatComparison(c, 'A', 'B')}\n`);
  if (argv.includes('--faces')) {
    for (const [who, xs] of [
      ['A', c.onlyA],
      ['B', c.onlyB],
    ] as const) {
      for (const x of xs) {
        const o =
          `other run's best: ` +
          `overlap ${x.other.overlap.toFixed(3)} at ` +
          `confidence ${x.other.confidence.toFixed(4)}`;
        process.stdout.write(`  ${who} only: ${x.file} face ${x.face}${x.cut ? ' (cut by the border)' : ''}; ${o}\n`);
      }
    }
  }
  return 0;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url)
  process.exitCode = await main(process.argv.slice(2));
