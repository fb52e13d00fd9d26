/**
 * What the learner's own sweep shows, in plain sentences built only from its numbers: which run
 * reached which validation loss, by how much they differ, and whether that agrees with the
 * paper. Differences below a tie threshold (0.01 nats/token, or the spread between two seeds
 * when that is known) are called ties; nothing is claimed that the losses do not show.
 */

export interface SummaryOptions {
  /** Validation loss of the base model without an adapter (nats/token), when measured. */
  baseLoss?: number;
  /** |loss difference| between two seeds of the same run: how large noise is on this task. */
  seedSpread?: number;
}

export interface SweepSummary {
  /** One sentence: what these runs show. */
  headline: string;
  /** Further facts: left-out runs, gains over the base, how ties were judged. */
  details: string[];
  /** How this compares with the paper, or null when these runs cannot be compared with it. */
  paper: string | null;
  /** true/false when the runs agree/disagree with the paper's finding; null when they cannot say. */
  agreesWithPaper: boolean | null;
}

export interface RankResult {
  r: number;
  /** Mean validation loss, nats/token (NaN or Infinity for a run that diverged). */
  validationLoss: number;
}

export interface BudgetResult {
  /** The option's id from budgetOptions ("q", "q-v", "c_attn"…). */
  id: string;
  label: string;
  r: number;
  trainable: number;
  validationLoss: number;
}

/** Differences below this are ties unless two seeds measured the noise. */
export const TIE_NATS = 0.01;

const round = (x: number, dp: number) => Math.round(x * 10 ** dp) / 10 ** dp;

/** a is no more than `tie` above b (with room for float rounding: 2.20 − 2.19 is 0.0100000000000002). */
const within = (a: number, b: number, tie: number) => a - b <= tie + 1e-9;

/** The fewest decimals (2 to 4) at which values that differ also print differently. */
function decimals(values: number[]): number {
  for (const dp of [2, 3]) {
    const clash = values.some((a, i) => values.some((b, j) => j > i && a !== b && round(a, dp) === round(b, dp)));
    if (!clash) return dp;
  }
  return 4;
}

/** Formats losses with shared decimals; `diff` is computed from the printed values, so it adds up. */
function formatter(values: number[]) {
  const dp = decimals(values);
  return {
    loss: (x: number) => round(x, dp).toFixed(dp),
    diff: (a: number, b: number) => Math.abs(round(a, dp) - round(b, dp)).toFixed(dp),
  };
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

function tieOf(o: SummaryOptions): number {
  return Math.max(TIE_NATS, Number.isFinite(o.seedSpread) ? Math.abs(o.seedSpread!) : 0);
}

function tieNote(o: SummaryOptions, tie: number, what: string): string {
  return Number.isFinite(o.seedSpread)
    ? `Two seeds of the same run differed by ${Math.abs(o.seedSpread!).toFixed(3)}: differences up to ${tie.toFixed(3)} are counted as ties.`
    : `Each ${what} was trained once, with one seed: differences up to ${tie.toFixed(2)} are counted as ties, and larger ones can still be noise (two seeds of one run show how large it is).`;
}

function splitFinite<T extends { validationLoss: number }>(results: readonly T[], name: (t: T) => string) {
  const ok = results.filter((x) => Number.isFinite(x.validationLoss));
  const failed = results.filter((x) => !Number.isFinite(x.validationLoss));
  const details = failed.length
    ? [
        `${failed.map(name).join(', ')} did not end with a finite validation loss (the run diverged), so it is left out.`,
      ]
    : [];
  return { ok, details };
}

/**
 * The sentence for a rank sweep (Table 6) from each rank's validation loss, e.g. "r = 1 reached
 * 2.31, within 0.02 of the best, r = 64 (2.29): on this task a single direction already does
 * most of the work."
 */
export function summariseRankSweep(results: readonly RankResult[], options: SummaryOptions = {}): SweepSummary {
  const { ok, details } = splitFinite(results, (x) => `r = ${x.r}`);
  const runs = [...ok].sort((a, b) => a.r - b.r);
  if (runs.length === 0)
    return {
      headline: 'No run ended with a finite validation loss: nothing to compare.',
      details,
      paper: null,
      agreesWithPaper: null,
    };
  const base = options.baseLoss;
  const f = formatter([...runs.map((x) => x.validationLoss), ...(base !== undefined ? [base] : [])]);
  if (runs.length === 1) {
    const only = runs[0];
    return {
      headline: `Only r = ${only.r} finished (${f.loss(only.validationLoss)}): nothing to compare it with yet.`,
      details,
      paper: null,
      agreesWithPaper: null,
    };
  }
  const tie = tieOf(options);
  const lo = runs[0];
  const hi = runs[runs.length - 1];
  const best = runs.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
  const enough = runs.find((x) => within(x.validationLoss, best.validationLoss, tie))!;
  const L = (x: RankResult) => f.loss(x.validationLoss);
  let headline: string;
  if (base !== undefined && Number.isFinite(base) && within(base, best.validationLoss, tie)) {
    headline = `No rank moved the validation loss much from the base model's ${f.loss(base)}: the best, r = ${best.r}, reached ${L(best)}.`;
  } else if (enough === lo && best === lo) {
    const worse = !within(hi.validationLoss, lo.validationLoss, tie);
    headline = `r = ${lo.r} did best (${L(lo)}): ${worse ? 'larger ranks did worse' : 'no larger rank did better'}, r = ${hi.r} reached ${L(hi)}.`;
  } else if (enough === lo) {
    const who = lo.r === 1 ? 'a single direction already does' : `${lo.r} directions already do`;
    headline = `r = ${lo.r} reached ${L(lo)}, within ${f.diff(lo.validationLoss, best.validationLoss)} of the best, r = ${best.r} (${L(best)}): on this task ${who} most of the work.`;
  } else {
    const rest =
      enough === best
        ? 'no smaller rank came within ' + tie.toFixed(2) + ' of it'
        : `the smallest rank within ${tie.toFixed(2)} of the best was r = ${enough.r}`;
    headline = `Rank mattered here: r = ${lo.r} reached ${L(lo)}, r = ${best.r} reached ${L(best)} (${f.diff(lo.validationLoss, best.validationLoss)} lower); ${rest}.`;
  }
  if (best !== hi && !within(hi.validationLoss, best.validationLoss, tie))
    details.push(
      `r = ${hi.r} ended ${f.diff(hi.validationLoss, best.validationLoss)} above r = ${best.r}: more directions did not help past r = ${best.r}.`,
    );
  if (base !== undefined && Number.isFinite(base) && !within(base, best.validationLoss, tie)) {
    const gain = (x: RankResult) => f.diff(base, x.validationLoss);
    const share = Math.round((100 * (base - lo.validationLoss)) / (base - best.validationLoss));
    details.push(
      `From the base model's ${f.loss(base)}, r = ${lo.r} lowered the loss by ${gain(lo)} and r = ${best.r} by ${gain(best)} (r = ${lo.r} got ${share} % of it).`,
    );
  }
  details.push(tieNote(options, tie, 'rank'));
  const hasOne = lo.r === 1 && hi.r > 1;
  const agrees = hasOne ? enough === lo : null;
  const paper =
    agrees === null
      ? null
      : agrees
        ? 'This agrees with the paper (Table 6): on GPT-3, a rank as small as r = 1 was often already enough.'
        : 'The paper (Table 6) found a rank as small as r = 1 often already enough on GPT-3; these runs do not show that on this task.';
  return { headline, details, paper, agreesWithPaper: agrees };
}

/**
 * The sentence for a fixed-budget sweep (Table 5) from each option's validation loss. The paper's
 * finding compared here: the same budget spread over W_q and W_v (r = 4) beat W_q alone (r = 8).
 */
export function summariseBudgetSweep(
  results: readonly BudgetResult[],
  budget: number,
  options: SummaryOptions = {},
): SweepSummary {
  const { ok, details } = splitFinite(results, (x) => x.label);
  if (ok.length < 2) {
    const only = ok[0];
    return {
      headline: only
        ? `Only ${only.label} (r = ${only.r}) finished (${only.validationLoss.toFixed(2)}): nothing to compare it with yet.`
        : 'No run ended with a finite validation loss: nothing to compare.',
      details,
      paper: null,
      agreesWithPaper: null,
    };
  }
  const tie = tieOf(options);
  const f = formatter(ok.map((x) => x.validationLoss));
  const sorted = [...ok].sort((a, b) => a.validationLoss - b.validationLoss);
  const best = sorted[0];
  const worst = sorted[sorted.length - 1];
  const L = (x: BudgetResult) => f.loss(x.validationLoss);
  const each = `With about ${count(budget)} trainable parameters each`;
  let headline: string;
  if (within(worst.validationLoss, best.validationLoss, tie)) {
    headline = `${each}, every option reached about the same validation loss (${L(best)} to ${L(worst)}): where the budget went made no difference larger than ${tie.toFixed(2)} here.`;
  } else {
    headline = `${each}, ${best.label} (r = ${best.r}) reached the lowest validation loss, ${L(best)}; ${worst.label} (r = ${worst.r}) the highest, ${L(worst)}.`;
    const close = sorted.slice(1).filter((x) => within(x.validationLoss, best.validationLoss, tie));
    if (close.length)
      details.push(`${close.map((x) => `${x.label} (${L(x)})`).join(', ')} came within ${tie.toFixed(2)} of it.`);
  }
  details.push(`Trainable parameters: ${ok.map((x) => `${x.label} ${count(x.trainable)}`).join('; ')}.`);
  details.push(tieNote(options, tie, 'option'));
  const q = ok.find((x) => x.id === 'q');
  const qv = ok.find((x) => x.id === 'q-v');
  if (!q || !qv) {
    const gpt2 = results.some((x) => x.id === 'c_attn');
    return {
      headline,
      details,
      paper: gpt2
        ? "The paper's comparison (Table 5) spreads a budget over separate W_q and W_v, which GPT-2's fused c_attn cannot express; these options compare the modules GPT-2 has."
        : null,
      agreesWithPaper: null,
    };
  }
  const finding = 'The paper (Table 5) found the same budget spread over W_q and W_v better than W_q alone';
  const better = !within(q.validationLoss, qv.validationLoss, tie);
  const worse = !within(qv.validationLoss, q.validationLoss, tie);
  const paper = better
    ? `${finding}; so did these runs: q and v ${L(qv)}, q alone ${L(q)}.`
    : worse
      ? `${finding}; these runs show the opposite on this task: q alone ${L(q)}, q and v ${L(qv)}.`
      : `${finding}; here the two were within ${tie.toFixed(2)} of each other (q alone ${L(q)}, q and v ${L(qv)}).`;
  return { headline, details, paper, agreesWithPaper: better ? true : worse ? false : null };
}
