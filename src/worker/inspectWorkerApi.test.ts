import { describe, expect, it } from 'vitest';
import { llamaModules, peftFiles } from '../engine/testing/adapterFiles';
import { readSafetensorsHeader } from '../engine/safetensors';
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

    const mlx = await api.convert('mlx');
    expect(mlx.fileName).toBe('my-lora-mlx.zip');
    expect([...unzipFiles(mlx.zip).keys()].sort()).toEqual(['adapter_config.json', 'adapters.safetensors']);
    const peft = await api.convert('peft');
    expect([...unzipFiles(peft.zip).keys()].sort()).toEqual([
      'README.md',
      'adapter_config.json',
      'adapter_model.safetensors',
    ]);
    const small = await api.shrink(2);
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
    await expect(new InspectWorkerApi().convert('peft')).rejects.toThrow(/Inspect an adapter first/);
  });

  it('reads a .safetensors in slices, one tensor at a time, never the whole file', async () => {
    const files = peftFiles(mods, { r: 4 });
    const weights = files.get('adapter_model.safetensors')!;
    const reads: number[] = [];
    /** A File that refuses to be read whole and records every slice read. */
    class SliceOnly extends File {
      arrayBuffer(): Promise<ArrayBuffer> {
        return Promise.reject(new Error('read whole'));
      }
      slice(start?: number, end?: number): Blob {
        reads.push((end ?? this.size) - (start ?? 0));
        return super.slice(start, end);
      }
    }
    const api = new InspectWorkerApi();
    const picked = [
      { path: 'adapter_model.safetensors', file: new SliceOnly([weights.slice()], 'adapter_model.safetensors') },
      { path: 'adapter_config.json', file: new File([files.get('adapter_config.json')!.slice()], 'c.json') },
    ];
    const { report } = await api.inspect(picked);
    const eager = await new InspectWorkerApi().inspect(asFiles(files));
    expect(report.modules).toEqual(eager.report.modules);
    expect(report.family).toEqual(eager.report.family);
    // Past the header, each read is one tensor: never more than the largest factor's bytes.
    const { entries, dataStart } = readSafetensorsHeader(weights, weights.length);
    const largest = Math.max(...entries.map((e) => e.end - e.begin));
    expect(largest).toBeLessThan(weights.length / 8);
    expect(reads.filter((n) => n > Math.max(largest, 1024)).every((n) => n === dataStart)).toBe(true);
    expect(reads.filter((n) => n <= largest).length).toBeGreaterThanOrEqual(2 * report.modules.length);
    expect(reads.reduce((a, b) => a + b, 0)).toBeLessThan(1.1 * weights.length);
    expect((await api.convert('mlx')).fileName).toBe('adapter-mlx.zip');
  });
});
