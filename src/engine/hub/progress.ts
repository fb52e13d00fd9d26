/**
 * Download progress as a person reads it: bytes done of total, speed over the last few seconds,
 * time left at that speed. Bytes are shown in binary units (KiB, MiB, GiB), like the rest of the app.
 */

export interface DownloadProgress {
  /** The file being fetched now. */
  file: string;
  fileDone: number;
  fileTotal: number;
  /** Bytes stored for the whole model (including what earlier attempts kept). */
  done: number;
  total: number;
  /** Bytes per second over the last `windowMs`, null until two samples exist. */
  bytesPerSecond: number | null;
  /** Seconds left at that speed, null when unknown. */
  secondsLeft: number | null;
}

/** A moving-window speed meter. `now` is injectable so tests run on a fake clock. */
export class SpeedMeter {
  private samples: { t: number; bytes: number }[] = [];
  constructor(
    private readonly windowMs = 5000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Records the running total of bytes received in this attempt. */
  add(totalBytes: number): void {
    const t = this.now();
    this.samples.push({ t, bytes: totalBytes });
    // Keep one sample older than the window so the rate spans the whole window.
    while (this.samples.length > 2 && this.samples[1].t <= t - this.windowMs) this.samples.shift();
  }

  /** Bytes per second across the window, or null with fewer than two samples or no time passed. */
  rate(): number | null {
    if (this.samples.length < 2) return null;
    const a = this.samples[0];
    const b = this.samples[this.samples.length - 1];
    const dt = (b.t - a.t) / 1000;
    return dt > 0 ? (b.bytes - a.bytes) / dt : null;
  }
}

export function secondsLeft(remaining: number, rate: number | null): number | null {
  if (rate === null || rate <= 0) return null;
  return remaining / rate;
}

/** 0.4 → "< 1 s", 75 → "1 min 15 s", 7300 → "2 h 1 min", null → "–". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  if (seconds < 1) return '< 1 s';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
