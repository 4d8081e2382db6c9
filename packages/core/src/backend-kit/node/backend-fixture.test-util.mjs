// A backend for threaded-backend.test.ts, in plain JavaScript so that threads can load it. Its
// "networks" read input pixels with P-Net's geometry (output row y sees input rows [2y, 2y + 12)),
// so a level run whole and in strips must give the same outputs, and it reads either layout.

const pixel = (data, layout, height, width, r, c, ch) =>
  layout === 'chw' ? data[ch * height * width + r * width + c] : data[(r * width + c) * 3 + ch];

const outSize = (side) => Math.ceil((side - 2) / 2) - 4;

export async function createThreadBackend(options) {
  return {
    name: options.name,
    pixelLayout: options.pixelLayout,
    flavour: options.flavour,
    inFlight: 1, // not reported: the proxy has its own
    async runPNet(level, height, width, layout = 'hwc') {
      const mh = outSize(height);
      const mw = outSize(width);
      const logit = new Float32Array(mh * mw);
      const reg = new Float32Array(mh * mw * 4);
      const at = (r, c, ch) => pixel(level, layout, height, width, r, c, ch);
      for (let y = 0; y < mh; y++)
        for (let x = 0; x < mw; x++) {
          const i = y * mw + x;
          logit[i] = at(2 * y, 2 * x, 0) + at(2 * y + 11, 2 * x + 11, 2);
          reg.set(
            [
              at(2 * y + 1, 2 * x, 0),
              at(2 * y, 2 * x + 1, 1),
              at(2 * y + 5, 2 * x + 7, 2),
              at(2 * y + 3, 2 * x + 3, 1),
            ],
            i * 4,
          );
        }
      return { logit, reg, height: mh, width: mw };
    },
    async runRNet(crops, count, layout = 'hwc') {
      return crop(crops, count, 24, layout, false);
    },
    async runONet(crops, count, layout = 'hwc') {
      return crop(crops, count, 48, layout, true);
    },
    dispose() {},
  };
}

function crop(crops, count, side, layout, landmarks) {
  const per = side * side * 3;
  const logit = new Float32Array(count);
  const reg = new Float32Array(count * 4);
  const marks = new Float32Array(count * 10);
  for (let n = 0; n < count; n++) {
    const one = crops.subarray(n * per, (n + 1) * per);
    const at = (r, c, ch) => pixel(one, layout, side, side, r, c, ch);
    logit[n] = at(0, 0, 0) + at(side - 1, side - 1, 2);
    for (let k = 0; k < 4; k++) reg[n * 4 + k] = at(k, side - 1 - k, k % 3);
    for (let k = 0; k < 10; k++) marks[n * 10 + k] = at(side - 1 - k, k, (k + 1) % 3);
  }
  return landmarks ? { logit, reg, landmarks: marks } : { logit, reg };
}
