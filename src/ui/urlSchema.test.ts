import { describe, expect, it } from 'vitest';
import { defaultsOf, numberSetting, readSettings, settingPatch, type Schema } from './urlSchema';
import { boolCodec, enumCodec } from './urlState';

interface Demo {
  kind: 'a' | 'b';
  steps: number;
  scale: number;
  on: boolean;
}
const DEMO: Schema<Demo> = {
  kind: { param: 'k', label: 'kind', default: 'a', codec: enumCodec(['a', 'b'] as const) },
  steps: numberSetting('n', 'steps', 10, { min: 1, max: 100, integer: true }),
  scale: numberSetting('s', 'scale', 0.5, { min: 0, max: 1, integer: false }),
  on: { param: 'on', label: 'on', default: true, codec: boolCodec },
};

describe('settings from a schema table', () => {
  it('read each value from its own URL key, the default where it is missing or unreadable', () => {
    expect(readSettings(DEMO, new URLSearchParams(''))).toEqual(defaultsOf(DEMO));
    expect(readSettings(DEMO, new URLSearchParams('k=b&n=7&s=0.25&on=0'))).toEqual({
      kind: 'b',
      steps: 7,
      scale: 0.25,
      on: false,
    });
    expect(readSettings(DEMO, new URLSearchParams('k=zzz&n=abc&steps=7'))).toEqual(defaultsOf(DEMO));
  });

  it('clamp numbers to their bounds and round whole ones', () => {
    expect(readSettings(DEMO, new URLSearchParams('n=7.6&s=9')).steps).toBe(8);
    expect(readSettings(DEMO, new URLSearchParams('n=-3&s=9')).scale).toBe(1);
    expect(readSettings(DEMO, new URLSearchParams('n=-3')).steps).toBe(1);
  });

  it('write a changed value under its key and drop a default one, so links stay short', () => {
    expect(settingPatch(DEMO, 'steps', 20)).toEqual({ n: '20' });
    expect(settingPatch(DEMO, 'steps', 10)).toEqual({ n: null });
    expect(settingPatch(DEMO, 'on', false)).toEqual({ on: '0' });
  });

  it('round-trip every setting through the URL', () => {
    const changed: Demo = { kind: 'b', steps: 42, scale: 0.125, on: false };
    const params = new URLSearchParams();
    for (const key of Object.keys(DEMO) as (keyof Demo)[])
      for (const [k, v] of Object.entries(settingPatch(DEMO, key, changed[key]))) if (v !== null) params.set(k, v);
    expect(readSettings(DEMO, params)).toEqual(changed);
  });
});
