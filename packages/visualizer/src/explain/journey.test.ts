import { describe, expect, it } from 'vitest';
import { fixtureInput } from '../fixture.test-util.js';
import { fmt } from '../model.js';
import { explanationText } from './explanation.js';
import { journeySteps, journeyText, lineageVerdict } from './journey.js';
import { defaultFocus, lineageOf } from './lineage.js';
import { queryRegion } from './query.js';

describe('journeySteps', () => {
  it("reads a face's chain stage by stage, with its ids as links", async () => {
    const { trace } = await fixtureInput();
    const l = lineageOf(trace, defaultFocus(trace)!)!;
    const steps = journeySteps(trace, l);
    expect(steps.map((s) => s.key)).toEqual(['pnet', 'scale-nms', 'cross-nms', 'regress', 'rnet', 'onet', 'face']);
    expect(steps.every((s) => s.status === 'pass')).toBe(true);
    const links = steps.flatMap((s) => s.parts.filter((p) => typeof p !== 'string'));
    expect(links).toEqual(
      expect.arrayContaining([
        { ref: { stage: 'pnet', id: l.pnet.id }, text: `candidate #${l.pnet.id}` },
        { ref: { stage: 'rnet', id: l.rnet!.id }, text: `crop #${l.rnet!.id}` },
        { ref: { stage: 'onet', id: l.onet!.id }, text: `crop #${l.onet!.id}` },
        { ref: { stage: 'face', id: l.face }, text: `face ${l.face! + 1} of ${trace.faces.length}` },
      ]),
    );
    expect(journeyText(trace, l)).toContain(`P ${fmt.score(l.pnet.score)} ≥ ${trace.options.thresholds[0]}`);
  });

  it('ends at the step that lost the box, saying why with the numbers', async () => {
    const { trace } = await fixtureInput();
    const r = trace.rnet.inputs.find((c) => !c.passed)!;
    const l = lineageOf(trace, { stage: 'rnet', id: r.id })!;
    const steps = journeySteps(trace, l);
    expect(steps.at(-1)!.key).toBe('rnet');
    expect(steps.at(-1)!.status).toBe('fail');
    expect(journeyText(trace, l)).toContain(`score ${fmt.score(r.score)} ≤ ${trace.options.thresholds[1]}: rejected`);
    expect(lineageVerdict(trace, l)).toBe(
      `Lost at R-Net: score ${fmt.score(r.score)} ≤ ${trace.options.thresholds[1]}.`,
    );
    const s = trace.pnet.candidates.find((c) => !c.scaleNms.kept)!;
    const ls = lineageOf(trace, { stage: 'pnet', id: s.id })!;
    expect(journeySteps(trace, ls).map((x) => x.key)).toEqual(['pnet', 'scale-nms']);
    expect(journeyText(trace, ls)).toContain(`suppressed by #${s.scaleNms.by}`);
  });

  it('writes the explanation to download: options, journey, question and every box over it', async () => {
    const input = await fixtureInput();
    const { trace } = input;
    const l = lineageOf(trace, defaultFocus(trace)!)!;
    const answer = queryRegion(trace, { kind: 'point', x: 30, y: 20 });
    const text = explanationText(input, l, answer);
    expect(text).toContain(`min face ${trace.options.minFaceSize} px`);
    expect(text).toContain(journeyText(trace, l));
    expect(text).toContain(`Answer: ${answer.summary}`);
    for (const h of answer.hits.rnet) expect(text).toContain(`#${h.ref!.id}: ${h.why}`);
  });
});

describe('fmt.score', () => {
  it('shows enough digits to see how close to 1 a score is, and to tell two apart', () => {
    expect(fmt.score(0.554)).toBe('0.554');
    expect(fmt.score(0.99998)).toBe('0.999980');
    expect(fmt.scores(0.9999802, 0.9999799)).toEqual(['0.9999802', '0.9999799']);
    expect(fmt.scoreLong(0.99998)).toMatch(/1 − p = 2\.0e-5, logit 10\.82/);
    // The network's logit, when the trace has it, tells apart what rounds to 1 in float32.
    expect(fmt.scoreLong(1, 18.25)).toBe('1 (in float32) (logit 18.25)');
    expect(fmt.scoreLong(0.99998, 10.9)).toMatch(/logit 10\.90/);
  });
});
