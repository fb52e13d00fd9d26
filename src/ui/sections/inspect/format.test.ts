import { describe, expect, it } from 'vitest';
import { bytesBinary, num, seconds } from './format';

describe('inspect page formatting', () => {
  it('bytes in binary units, numbers in four digits', () => {
    expect(bytesBinary(512)).toBe('512 B');
    expect(bytesBinary(1536)).toBe('1.5 KiB');
    expect(bytesBinary(160 * 1024 ** 2)).toBe('160 MiB');
    expect(num(16)).toBe('16');
    expect(num(2.8284271)).toBe('2.828');
    expect(num(1e-5)).toBe('1.00e-5');
    expect(num(null)).toBe('–');
    expect(seconds(1234)).toBe('1.23 s');
  });
});
