import { describe, expect, it } from 'vitest';
import { summariseBudgetSweep, summariseRankSweep, type BudgetResult } from './summary';

const ranks = (...pairs: [number, number][]) => pairs.map(([r, validationLoss]) => ({ r, validationLoss }));

describe('summariseRankSweep: what the learner’s own ranks show', () => {
  it('r = 1 as good as r = 64 (the paper’s finding), with the decimals the numbers need', () => {
    const s = summariseRankSweep(ranks([1, 2.296], [2, 2.294], [4, 2.292], [8, 2.29], [64, 2.289]));
    expect(s.headline).toBe(
      'r = 1 reached 2.296, within 0.007 of the best, r = 64 (2.289): on this task a single direction already does most of the work.',
    );
    expect(s.agreesWithPaper).toBe(true);
    expect(s.paper).toMatch(/^This agrees with the paper \(Table 6\)/);
    expect(s.details.at(-1)).toMatch(/trained once, with one seed: differences up to 0\.01 are counted as ties/);
  });

  it('says plainly when rank mattered (disagreeing with the paper)', () => {
    const s = summariseRankSweep(ranks([64, 2.3], [1, 2.6], [2, 2.5], [4, 2.4], [8, 2.33]));
    expect(s.headline).toBe(
      'Rank mattered here: r = 1 reached 2.60, r = 64 reached 2.30 (0.30 lower); no smaller rank came within 0.01 of it.',
    );
    expect(s.agreesWithPaper).toBe(false);
    expect(s.paper).toMatch(/these runs do not show that on this task/);
  });

  it('names the smallest rank that was enough, and a largest rank that did worse', () => {
    const s = summariseRankSweep(ranks([1, 2.5], [2, 2.4], [4, 2.305], [8, 2.3], [64, 2.36]));
    expect(s.headline).toBe(
      'Rank mattered here: r = 1 reached 2.50, r = 8 reached 2.30 (0.20 lower); the smallest rank within 0.01 of the best was r = 4.',
    );
    expect(s.details[0]).toBe('r = 64 ended 0.06 above r = 8: more directions did not help past r = 8.');
  });

  it('the smallest rank doing best, and gains measured from the base model', () => {
    expect(summariseRankSweep(ranks([1, 2.29], [64, 2.35])).headline).toBe(
      'r = 1 did best (2.29): larger ranks did worse, r = 64 reached 2.35.',
    );
    const s = summariseRankSweep(ranks([1, 2.31], [64, 2.3]), { baseLoss: 2.6 });
    expect(s.details).toContain(
      "From the base model's 2.60, r = 1 lowered the loss by 0.29 and r = 64 by 0.30 (r = 1 got 97 % of it).",
    );
    expect(summariseRankSweep(ranks([1, 2.298], [64, 2.296]), { baseLoss: 2.3 }).headline).toBe(
      "No rank moved the validation loss much from the base model's 2.300: the best, r = 64, reached 2.296.",
    );
  });

  it('uses the spread between two seeds as the tie threshold when it is known', () => {
    const s = summariseRankSweep(ranks([1, 2.34], [64, 2.3]), { seedSpread: 0.05 });
    expect(s.headline).toMatch(/^r = 1 reached 2\.34, within 0\.04 of the best, r = 64/);
    expect(s.details.at(-1)).toBe(
      'Two seeds of the same run differed by 0.050: differences up to 0.050 are counted as ties.',
    );
  });

  it('leaves out a diverged run and says so; handles one or no finished run', () => {
    const s = summariseRankSweep(ranks([1, 2.4], [8, 2.3], [64, NaN]));
    expect(s.details[0]).toBe(
      'r = 64 did not end with a finite validation loss (the run diverged), so it is left out.',
    );
    expect(s.headline).toMatch(/^Rank mattered here: r = 1 reached 2\.40, r = 8 reached 2\.30/);
    expect(summariseRankSweep(ranks([8, 2.3], [64, Infinity])).headline).toBe(
      'Only r = 8 finished (2.30): nothing to compare it with yet.',
    );
    expect(summariseRankSweep([]).headline).toMatch(/^No run ended with a finite validation loss/);
    // Without r = 1 in the sweep, the paper's Table 6 claim cannot be checked.
    expect(summariseRankSweep(ranks([4, 2.3], [64, 2.3])).agreesWithPaper).toBeNull();
  });
});

const option = (id: string, label: string, r: number, trainable: number, validationLoss: number): BudgetResult => ({
  id,
  label,
  r,
  trainable,
  validationLoss,
});

describe('summariseBudgetSweep: where a fixed budget went', () => {
  const llama = (q: number, qv: number) => [
    option('q', 'q alone', 8, 276_480, q),
    option('v', 'v alone', 12, 276_480, 2.28),
    option('q-v', 'q and v', 5, 288_000, qv),
    option('q-k-v-o', 'q, k, v and o', 2, 230_400, 2.19),
    option('all-linear', 'every linear layer', 1, 305_280, 2.25),
  ];

  it('names the best and worst option, those tied with the best, and agrees with Table 5 when q+v beats q', () => {
    const s = summariseBudgetSweep(llama(2.3, 2.2), 276_480);
    expect(s.headline).toBe(
      'With about 276,480 trainable parameters each, q, k, v and o (r = 2) reached the lowest validation loss, 2.19; q alone (r = 8) the highest, 2.30.',
    );
    expect(s.details[0]).toBe('q and v (2.20) came within 0.01 of it.');
    expect(s.details[1]).toMatch(/^Trainable parameters: q alone 276,480; v alone 276,480; q and v 288,000/);
    expect(s.agreesWithPaper).toBe(true);
    expect(s.paper).toBe(
      'The paper (Table 5) found the same budget spread over W_q and W_v better than W_q alone; so did these runs: q and v 2.20, q alone 2.30.',
    );
  });

  it('reports the opposite of the paper, and a tie, as what they are', () => {
    const opposite = summariseBudgetSweep(llama(2.15, 2.3), 276_480);
    expect(opposite.agreesWithPaper).toBe(false);
    expect(opposite.paper).toMatch(/these runs show the opposite on this task: q alone 2\.15, q and v 2\.30\.$/);
    const tie = summariseBudgetSweep(llama(2.205, 2.2), 276_480);
    expect(tie.agreesWithPaper).toBeNull();
    expect(tie.paper).toMatch(/here the two were within 0\.01 of each other/);
  });

  it('GPT-2’s options: no q-alone comparison, said why; all options alike', () => {
    const s = summariseBudgetSweep(
      [
        option('c_attn', 'c_attn (q, k, v together)', 8, 9216, 2.301),
        option('attn.c_proj', 'attn.c_proj (o)', 16, 9216, 2.305),
        option('all-linear', 'every linear layer', 2, 9216, 2.298),
      ],
      9216,
    );
    expect(s.headline).toBe(
      'With about 9,216 trainable parameters each, every option reached about the same validation loss (2.298 to 2.305): where the budget went made no difference larger than 0.01 here.',
    );
    expect(s.agreesWithPaper).toBeNull();
    expect(s.paper).toMatch(/GPT-2's fused c_attn cannot express/);
  });
});
