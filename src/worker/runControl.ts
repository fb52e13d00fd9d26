/**
 * Pause, resume and stop for the Worker's run loop: the page's calls set flags, and the loop
 * checks them between steps (a step itself is never interrupted).
 */

/**
 * Let queued messages (pause, stop, other calls) run between steps. Backend work can finish in
 * microtasks alone, which would starve the message queue for a whole run.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export class RunControl {
  private paused = false;
  private stopRequested = false;
  private wake: (() => void) | null = null;

  /** A new run: neither paused nor stopping. */
  reset(): void {
    this.paused = false;
    this.stopRequested = false;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  stop(): void {
    this.stopRequested = true;
    this.paused = false;
    this.wake?.();
  }

  /**
   * Between two steps: let other calls in, then wait out a pause (`onPause` when it starts,
   * `onResume` when it ends unless the run is stopping). Resolves true when the run should stop.
   */
  async between(onPause: () => void, onResume: () => void): Promise<boolean> {
    await yieldToEventLoop();
    if (this.paused) {
      onPause();
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
      if (!this.stopRequested) onResume();
    }
    return this.stopRequested;
  }
}
