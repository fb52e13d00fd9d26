/**
 * The paper's Table 5 on the learner's task: one budget of trainable parameters spent on different
 * weights, with r chosen per option so the counts match; validation loss per option, what these
 * numbers show, and the paper's options this model cannot express (and why).
 */
import { withCommas } from '../../../engine/peftLine';
import { ScrollBox } from '../../components/ScrollBox';
import { budgetOptions } from '../../../engine/paper/budget';
import { budgetSweepPlan } from '../../../engine/paper/sweeps';
import { summariseBudgetSweep } from '../../../engine/paper/summary';
import type { ModelSummary } from '../../../engine/session/types';
import { errorMessage } from '../../../engine/types';
import { estimateSeconds, formatDuration, formatLoss } from './labFormat';
import { KeepCell, SummaryText, type LabViewProps } from './LabParts';
import { labBaseRun } from './labSettings';
import { seedSpread } from './RankSweepView';

export function BudgetView({ s, model, lab, run, disabled }: LabViewProps & { model: ModelSummary }) {
  let plan: ReturnType<typeof budgetSweepPlan>;
  try {
    plan = budgetSweepPlan({ ...labBaseRun(s, model), adapterName: 'budget' }, model.modules);
  } catch (e) {
    return (
      <section className="panel paper-view" aria-labelledby="budget-title">
        <h2 id="budget-title">Which weights under a fixed budget (Table 5)</h2>
        <p className="error">{errorMessage(e)}</p>
      </section>
    );
  }
  const choice = budgetOptions(model.modules, plan.budget);
  const done = new Map(lab.runs.filter((r) => r.sweep === 'budget').map((r) => [r.key, r]));
  const results = plan.runs.flatMap((p) => {
    const r = done.get(p.key);
    return r
      ? [{ id: p.key, label: p.option.label, r: r.r, trainable: r.trainable, validationLoss: r.validationLoss }]
      : [];
  });
  const any = [...done.values()][0];
  const summary =
    results.length > 0
      ? summariseBudgetSweep(results, plan.budget, {
          baseLoss: any?.baseValidationLoss,
          seedSpread: seedSpread(lab.runs, any),
        })
      : null;
  const estimate = estimateSeconds(plan.runs.length, s.steps, lab.msPerStep);
  return (
    <section className="panel paper-view" aria-labelledby="budget-title">
      <h2 id="budget-title">Which weights under a fixed budget (Table 5)</h2>
      <p className="train-hint">
        About {withCommas(plan.budget)} trainable parameters for every option (the paper’s budget: r = 8 on its first
        option), with r chosen per option so the counts match as closely as whole ranks allow.
      </p>
      <div className="paper-run-row">
        <button type="button" className="primary" disabled={disabled} onClick={() => run('budget', plan.runs)}>
          Run the budget sweep
        </button>
        <span className="train-hint">
          {plan.runs.length} runs × {s.steps} steps, about {formatDuration(estimate)}.
        </span>
      </div>
      <figure className="paper-figure" data-present="paper-budget">
        <figcaption>
          Validation loss by where the budget goes
          {any ? ` (${any.dataset}, ${any.steps} steps, seed ${any.settings.seed})` : ''}
        </figcaption>
        <ScrollBox label="Budget table">
          <table className="paper-table" aria-label="Budget sweep: options and results">
            <thead>
              <tr>
                <th scope="col">adapt</th>
                <th scope="col">paper’s matrices</th>
                <th scope="col">layers</th>
                <th scope="col">r</th>
                <th scope="col">trainable</th>
                <th scope="col">validation loss</th>
                <th scope="col">adapter</th>
              </tr>
            </thead>
            <tbody>
              {choice.options.map((o) => {
                const r = done.get(o.id);
                return (
                  <tr key={o.id} data-testid={`budget-row-${o.id}`}>
                    <th scope="row">{o.label}</th>
                    <td>{o.paperName}</td>
                    <td className="mono">{o.modules}</td>
                    <td className="mono">{o.r}</td>
                    <td className="mono">{withCommas(o.trainable)}</td>
                    <td className="mono">{r ? formatLoss(r.validationLoss) : 'not run yet'}</td>
                    <td>{r ? <KeepCell run={r} /> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollBox>
      </figure>
      {summary && <SummaryText summary={summary} testId="budget-summary" />}
      {plan.unavailable.length > 0 && (
        <div className="paper-unavailable">
          <h3>Not possible on this model</h3>
          <ul>
            {plan.unavailable.map((u) => (
              <li key={u.label}>
                <strong>{u.label}</strong>: {u.reason}.
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
