import { describe, expect, it } from 'vitest';
import { binaryUnit, formatBytes, GiB, KiB, MiB, sizeAndLimit } from './bytes';

describe('formatBytes', () => {
  it('prints binary units with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(KiB)).toBe('1.00 KiB');
    expect(formatBytes(200 * KiB)).toBe('200 KiB');
    expect(formatBytes(1_179_648)).toBe('1.13 MiB'); // GPT-2 small's r = 8 c_attn adapter in fp32
    expect(formatBytes(497_759_232)).toBe('475 MiB'); // GPT-2 small in fp32
    expect(formatBytes(49_775_923_200)).toBe('46.4 GiB');
    expect(formatBytes(1.2e12)).toBe('1.09 TiB');
    expect(formatBytes(12.5 * MiB)).toBe('12.5 MiB');
    expect(formatBytes(2 * GiB)).toBe('2.00 GiB');
  });

  it('never prints 1024 of a unit: that is 1.00 of the next', () => {
    expect(formatBytes(1023.9 * KiB)).toBe('1.00 MiB');
    expect(formatBytes(1023.4 * KiB)).toBe('1023 KiB');
    expect(formatBytes(MiB - 1)).toBe('1.00 MiB');
  });

  it('keeps the sign of a difference and says what a non-number is', () => {
    expect(formatBytes(-3 * MiB)).toBe('-3.00 MiB');
    expect(formatBytes(Number.NaN)).toBe('NaN B');
  });

  it('shows a refused size against its limit, exactly when both would read alike', () => {
    expect(sizeAndLimit(210_000, 200 * KiB)).toEqual({ size: '205 KiB', limit: '200 KiB' });
    expect(sizeAndLimit(200 * KiB + 2, 200 * KiB)).toEqual({ size: '204,802 bytes', limit: '204,800 bytes' });
  });

  it('names the unit a size is printed in', () => {
    expect(binaryUnit(1000)).toEqual({ size: 1, name: 'B' });
    expect(binaryUnit(5 * MiB)).toEqual({ size: MiB, name: 'MiB' });
    expect(binaryUnit(-5 * GiB)).toEqual({ size: GiB, name: 'GiB' });
  });
});
