/**
 * The paper's §7.3 (Table 7) on one module of one of the learner's adapters: how much of the
 * frozen W lies along ΔW's top-r directions, against W's own top-r and random ones, and the
 * amplification factor ‖ΔW‖_F / ‖U_rᵀ·W·V_r‖_F. Computed in the Worker (W is read there).
 */
import type { AdapterInfo } from '../../../engine/session/types';
import { ScrollBox } from '../../components/ScrollBox';
import { amplificationSentence } from './labFormat';
import { NamePicker, type LabViewProps } from './LabParts';
import { comparableNames } from './SubspaceView';
import { useWorkerQuery } from './useWorkerQuery';

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '∞');

export function AmplifyView({
  s,
  set,
  lab,
  adapters,
}: Omit<LabViewProps, 'run' | 'disabled'> & { adapters: AdapterInfo[] }) {
  const names = comparableNames(
    lab.runs.map((r) => r.name),
    adapters,
  );
  const preferred = lab.runs.find((r) => r.sweep === 'rank' && r.r === 8)?.name ?? names[0] ?? '';
  const adapter = s.adapter && names.includes(s.adapter) ? s.adapter : preferred;
  const version = lab.runs.map((r) => `${r.name}@${r.wallMs}`).join(',');
  const mods = useWorkerQuery(adapter ? `${adapter}|${version}` : null, (api) => api.lab.modulesOf(adapter));
  const modules = mods.data ?? [];
  const module = modules.includes(s.module) ? s.module : (modules[0] ?? '');
  const amp = useWorkerQuery(module ? `${adapter}|${module}|${version}` : null, (api) =>
    api.lab.amplification(adapter, module),
  );
  const a = amp.data;
  return (
    <section className="panel paper-view" aria-labelledby="amplify-title">
      <h2 id="amplify-title">Amplification: which directions of W does ΔW boost? (§7.3)</h2>
      <p className="train-hint">
        ΔW = U·Σ·Vᵀ. Project the frozen W onto ΔW’s top r directions, ‖U_rᵀ·W·V_r‖_F, and compare with W’s own top r
        directions and with random ones. The amplification factor is ‖ΔW‖_F / ‖U_rᵀ·W·V_r‖_F.
      </p>
      <div className="paper-pickers">
        <NamePicker label="adapter" value={adapter} options={names} onChange={(v) => set('adapter', v)} />
        <NamePicker label="module" value={module} options={modules} onChange={(v) => set('module', v)} />
      </div>
      <figure className="paper-figure" data-present="paper-amplify">
        <figcaption>‖U_rᵀ·W·V_r‖_F{a ? ` for ${a.module} of ${a.adapter}, r = ${a.r}` : ''}</figcaption>
        {names.length === 0 ? (
          <p>No adapter yet: run the rank sweep or keep one from the Train page.</p>
        ) : mods.error || amp.error ? (
          <p className="error" role="alert">
            {mods.error ?? amp.error}
          </p>
        ) : a ? (
          <>
            <ScrollBox label="Amplification table">
              <table className="paper-table" aria-label="Amplification" data-testid="amplify-table">
                <thead>
                  <tr>
                    <th scope="col">directions U_r, V_r</th>
                    <th scope="col">‖U_rᵀ·W·V_r‖_F</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">ΔW’s top {a.r}</th>
                    <td className="mono">{f(a.projection.deltaW)}</td>
                  </tr>
                  <tr>
                    <th scope="row">W’s own top {a.r}</th>
                    <td className="mono">{f(a.projection.w)}</td>
                  </tr>
                  <tr>
                    <th scope="row">random (seeded)</th>
                    <td className="mono">{f(a.projection.random)}</td>
                  </tr>
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">‖ΔW‖_F, ‖W‖_F</th>
                    <td className="mono">
                      {f(a.deltaWNorm)}, {f(a.wNorm)}
                    </td>
                  </tr>
                  <tr>
                    <th scope="row">amplification ‖ΔW‖_F / ‖U_rᵀ·W·V_r‖_F</th>
                    <td className="mono" data-testid="amplify-factor">
                      {Number.isNaN(a.factor) ? '–' : f(a.factor)}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </ScrollBox>
            <p data-testid="amplify-sentence">{amplificationSentence(a)}</p>
            <p className="paper-vs">
              The paper (Table 7, GPT-3, W_q at r = 4): ‖ΔW_q‖_F = 6.91 against 0.32 along its directions, a factor of
              about 21.5.
            </p>
          </>
        ) : (
          <p>Computing…</p>
        )}
      </figure>
    </section>
  );
}
