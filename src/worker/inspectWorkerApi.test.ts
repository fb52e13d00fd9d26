import { describe, expect, it } from 'vitest';
import { llamaModules, peftFiles } from '../engine/testing/adapterFiles';
import { unzipFiles, zipFiles } from '../engine/zip';
import { InspectWorkerApi, type InspectProgressEvent } from './inspectWorkerApi';

const mods = llamaModules(2, 32, 16, 48, 4);
const asFiles = (m: Map<string, Uint8Array>, prefix = '') =>
  [...m].map(([path, bytes]) => ({ path: prefix + path, file: new File([bytes.slice()], path) }));

describe('InspectWorkerApi', () => {
  it('reads picked files, reports progress, then converts and shrinks what it read', async () => {
    const api = new InspectWorkerApi();
    const events: InspectProgressEvent[] = [];
    const { report, totalMs } = await api.inspect(asFiles(peftFiles(mods, { r: 4 }), 'my-lora/'), (e) =>
      events.push(e),
    );
    expect(report.format).toBe('peft');
    expect(report.modules).toHaveLength(14);
    expect(totalMs).toBeGreaterThan(0);
    expect(events.at(-1)).toEqual({ phase: 'analysing', done: 14, total: 14 });
    expect(events.some((e) => e.phase === 'reading')).toBe(true);

    const mlx = api.convert('mlx');
    expect(mlx.fileName).toBe('my-lora-mlx.zip');
    expect([...unzipFiles(mlx.zip).keys()].sort()).toEqual(['adapter_config.json', 'adapters.safetensors']);
    const peft = api.convert('peft');
    expect([...unzipFiles(peft.zip).keys()].sort()).toEqual([
      'README.md',
      'adapter_config.json',
      'adapter_model.safetensors',
    ]);
    const small = api.shrink(2);
    expect(small.modules.every((m) => m.toRank === 2)).toBe(true);
    expect(small.fileName).toBe('my-lora-r2-peft.zip');
  });

  it('never reads a pickle, and reads a zip', async () => {
    const api = new InspectWorkerApi();
    const pickle = {
      path: 'adapter_model.bin',
      file: { size: 10, arrayBuffer: () => Promise.reject(new Error('read')) } as unknown as File,
    };
    await expect(api.inspect([pickle])).rejects.toThrow(/pickle.*never opened/);
    const zip = zipFiles(Object.fromEntries(peftFiles(mods, { r: 4 })));
    const { report } = await api.inspect([{ path: 'x.zip', file: new File([zip.slice()], 'x.zip') }]);
    expect(report.modules).toHaveLength(14);
    expect(() => new InspectWorkerApi().convert('peft')).toThrow(/Inspect an adapter first/);
  });
});
