import { describe, expect, it } from 'vitest';
import { formatDuration, secondsLeft, SpeedMeter } from './progress';
import { formatBytes } from '../format/bytes';

describe('download progress', () => {
  it('measures speed over a moving window on a fake clock', () => {
    let t = 0;
    const m = new SpeedMeter(5000, () => t);
    expect(m.rate()).toBeNull();
    m.add(0);
    t = 1000;
    m.add(1000);
    expect(m.rate()).toBe(1000);
    for (let s = 2; s <= 20; s++) {
      t = s * 1000;
      m.add(1000 + (s - 1) * 4000); // 4000 B/s from now on
    }
    expect(m.rate()).toBeCloseTo(4000, 6);
    expect(secondsLeft(8000, m.rate())).toBeCloseTo(2, 6);
    expect(secondsLeft(8000, null)).toBeNull();
    expect(secondsLeft(8000, 0)).toBeNull();
  });

  it('formats bytes in binary units and durations for people', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(538 * 2 ** 20)).toBe('538 MiB');
    expect(formatBytes(2_200_119_864)).toBe('2.05 GiB');
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(0.4)).toBe('< 1 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(75)).toBe('1 min 15 s');
    expect(formatDuration(7300)).toBe('2 h 1 min');
  });
});
