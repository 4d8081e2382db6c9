// Builds examples/astronaut-collage.jpg: the public-domain astronaut photo (scikit-image sample
// data, NASA, see ../shared/images/public/SOURCES.md) pasted at four sizes, so one picture shows
// why the pyramid exists (the same face at 4 scales). Run: node scripts/make-sample.mjs
import sharp from 'sharp';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../shared/images/public/astronaut.png', import.meta.url));
const out = fileURLToPath(new URL('../examples/astronaut-collage.jpg', import.meta.url));
const sizes = [
  [384, 16, 16],
  [224, 416, 16],
  [128, 656, 16],
  [96, 416, 256],
];
const tiles = await Promise.all(
  sizes.map(async ([s, left, top]) => ({
    input: await sharp(src).resize(s, s, { kernel: 'lanczos3' }).png().toBuffer(),
    left,
    top,
  })),
);
await sharp({ create: { width: 800, height: 416, channels: 3, background: { r: 240, g: 240, b: 240 } } })
  .composite(tiles)
  .jpeg({ quality: 90 })
  .toFile(out);
console.log(`wrote ${out}`);
