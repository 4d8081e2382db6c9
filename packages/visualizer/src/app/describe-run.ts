/** What re-ran for a detection, in one sentence for the status line (the stage cards say it per network). */
export interface RunSummary {
  ms: number;
  /** Post-processing milliseconds (thresholds, NMS, regression). */
  post: number;
  faces: number;
  backend: string | undefined;
  /** Pyramid levels (0: the image is smaller than the min face size). */
  levels: number;
  minFaceSize: number;
  nets: Record<'pnet' | 'rnet' | 'onet', { ran: number; cached: number }>;
}

const NAME = { pnet: 'P-Net', rnet: 'R-Net', onet: 'O-Net' } as const;

export function describeRun(r: RunSummary): string {
  const head =
    `${r.faces} face${r.faces === 1 ? '' : 's'} in ${r.ms.toFixed(0)} ms ` +
    `(post-processing ${r.post.toFixed(1)} ms) on ${r.backend ?? '?'}`;
  if (r.levels === 0)
    return (
      `${head}: the image is smaller than the min face size (${r.minFaceSize} ` +
      `px), so there is no pyramid level and no network ran.`
    );
  const nets = (['pnet', 'rnet', 'onet'] as const).map((n) => ({ n, ...r.nets[n] }));
  const ran = nets.filter((x) => x.ran > 0);
  const cached = nets.filter((x) => x.ran === 0 && x.cached > 0);
  const idle = nets.filter((x) => x.ran === 0 && x.cached === 0);
  const unit = (n: 'pnet' | 'rnet' | 'onet', k: number): string =>
    `${k} ${n === 'pnet' ? 'level' : 'crop'}${k === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (ran.length === 0 && cached.length > 0)
    parts.push(`only the post-processing re-ran; ${cached.map((x) => NAME[x.n]).join(', ')} answered from the cache`);
  else {
    for (const x of ran)
      parts.push(`${NAME[x.n]} ran on ${unit(x.n, x.ran)}${x.cached ? ` (${x.cached} cached)` : ''}`);
    if (cached.length > 0) parts.push(`${cached.map((x) => NAME[x.n]).join(', ')} from the cache`);
  }
  if (idle.length > 0) parts.push(`${idle.map((x) => NAME[x.n]).join(' and ')} had no box to look at`);
  return `${head} — ${parts.join('; ')}.`;
}
