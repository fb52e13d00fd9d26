import { describe, expect, it } from 'vitest';
import { localBaseFolder } from './exportZips';

describe('localBaseFolder', () => {
  it('none for a Hub base: PEFT loads it by repo id', () => {
    expect(localBaseFolder({ name: 'owner/gpt2', hub: { repoId: 'owner/gpt2', revision: 'main' } })).toBeUndefined();
  });
  it('<name>-base for the app’s own bases', () => {
    expect(localBaseFolder({ name: 'lowrank-tiny' })).toBe('lowrank-tiny-base');
    expect(localBaseFolder({ name: 'random-init' })).toBe('random-init-base');
  });
  it('a base from disk keeps its folder name, made a safe relative path', () => {
    expect(localBaseFolder({ name: 'my-gpt2' })).toBe('my-gpt2');
    expect(localBaseFolder({ name: 'openai-community/gpt2' })).toBe('openai-community/gpt2');
    expect(localBaseFolder({ name: '../../etc/my model' })).toBe('etc/my-model');
    expect(localBaseFolder({ name: '...' })).toBe('base');
  });
});
