import { describe, expect, it } from 'vitest';
import { chooseDriver, findSwiftShaderIcd, type DawnModule } from './backendNode';

/** A fake Dawn whose adapter appears only when `works(env)` says so (the loader reads env). */
function fakeDawn(env: Record<string, string | undefined>, works: (icd: string | undefined) => boolean): DawnModule {
  const adapter = { info: { vendor: 'v', architecture: 'a', description: 'd', isFallbackAdapter: false } };
  return {
    globals: {},
    create: () => ({ requestAdapter: async () => (works(env.VK_ICD_FILENAMES) ? adapter : null) }) as unknown as GPU,
  };
}

describe('Node WebGPU driver choice', () => {
  it('uses the system drivers first (a real GPU) and leaves VK_ICD_FILENAMES alone', async () => {
    const env: Record<string, string | undefined> = {};
    const c = await chooseDriver(
      fakeDawn(env, (icd) => icd === undefined),
      env,
      () => '/x/icd.json',
    );
    expect(c).toMatchObject({ ok: true, driver: 'system Vulkan drivers', software: false });
    expect(env.VK_ICD_FILENAMES).toBeUndefined();
  });

  it('falls back to SwiftShader when the system gives no adapter, and says so', async () => {
    const env: Record<string, string | undefined> = {};
    const c = await chooseDriver(
      fakeDawn(env, (icd) => icd === '/x/icd.json'),
      env,
      () => '/x/icd.json',
    );
    expect(c).toMatchObject({ ok: true, driver: 'SwiftShader (/x/icd.json)', software: true });
    expect(env.VK_ICD_FILENAMES).toBe('/x/icd.json');
  });

  it('an explicit VK_ICD_FILENAMES is the only one tried; every failure has a reason', async () => {
    const env: Record<string, string | undefined> = { VK_ICD_FILENAMES: '/mine.json' };
    const c = await chooseDriver(
      fakeDawn(env, () => false),
      env,
      () => '/x/icd.json',
    );
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.reason).toMatch(/^VK_ICD_FILENAMES=\/mine\.json: no adapter .*libvulkan1/);
    const none: Record<string, string | undefined> = {};
    const d = await chooseDriver(
      fakeDawn(none, () => false),
      none,
      () => null,
    );
    expect(d.ok).toBe(false);
    if (!d.ok)
      expect(d.tried).toEqual([
        expect.stringMatching(/^system Vulkan drivers: no adapter/),
        expect.stringMatching(/^SwiftShader: none of/),
      ]);
    expect(none.VK_ICD_FILENAMES).toBeUndefined();
  });

  it('passes LOWRANK_DAWN_OPTIONS to Dawn; backend=null is the null device and nothing else is tried', async () => {
    const seen: string[][] = [];
    const dawn: DawnModule = {
      globals: {},
      create: (o) => {
        seen.push(o);
        return { requestAdapter: async () => ({ info: { description: '' } }) } as unknown as GPU;
      },
    };
    const env: Record<string, string | undefined> = { LOWRANK_DAWN_OPTIONS: ' backend=null  x=1 ' };
    const c = await chooseDriver(dawn, env, () => '/x/icd.json');
    expect(c).toMatchObject({ ok: true, driver: 'Dawn null device (executes nothing)', software: true });
    expect(seen).toEqual([['backend=null', 'x=1']]);
  });

  it('finds the first ICD file that exists', () => {
    expect(findSwiftShaderIcd(['/nonexistent/a.json', 'package.json'])).toBe('package.json');
    expect(findSwiftShaderIcd(['/nonexistent/a.json'])).toBeNull();
  });
});
