/**
 * Runs the engine's InitDemo for the settings in the URL and keeps it in step with `t`, the
 * number of steps taken (also in the URL, so a link reproduces the exact matrices: the demo is
 * seeded). Moving t forward steps the live demo; anything else rebuilds it and replays.
 */
import { useEffect, useRef, useState } from 'react';
import { InitDemo, type InitMode, type InitSnapshot, type StepRecord } from '../../../../engine/learn/initDemo';
import { useBackend } from '../../../useBackend';
import { errorMessage } from '../../../../engine/types';

export interface InitDemoView {
  snapshot: InitSnapshot | null;
  history: StepRecord[];
  error: string | null;
}

export function useInitDemo(init: InitMode, r: number, alpha: number, lr: number, t: number): InitDemoView {
  const backend = useBackend();
  const ready = backend.status === 'ready';
  const demoRef = useRef<InitDemo | null>(null);
  const keyRef = useRef('');
  const queue = useRef(Promise.resolve());
  const [view, setView] = useState<InitDemoView>({ snapshot: null, history: [], error: null });

  useEffect(() => {
    if (!ready) return;
    const key = `${init}|${r}|${alpha}|${lr}`;
    // Serialise: a step must finish before the next starts, or a rebuild disposes a demo mid-step.
    queue.current = queue.current.then(async () => {
      try {
        let demo = demoRef.current;
        if (!demo || keyRef.current !== key || demo.stepCount > t) {
          demo?.dispose();
          demo = new InitDemo({ dIn: 8, dOut: 8, r, alpha, lr, init });
          demoRef.current = demo;
          keyRef.current = key;
        }
        while (demo.stepCount < t) await demo.step();
        const snapshot = await demo.snapshot();
        if (demoRef.current === demo) setView({ snapshot, history: [...demo.history], error: null });
      } catch (e) {
        setView({ snapshot: null, history: [], error: errorMessage(e) });
      }
    });
  }, [ready, init, r, alpha, lr, t]);

  useEffect(
    () => () => {
      const q = queue.current;
      void q.then(() => {
        demoRef.current?.dispose();
        demoRef.current = null;
      });
    },
    [],
  );
  return view;
}
