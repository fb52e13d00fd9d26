/** Learning-rate schedule: linear warm-up, then cosine decay to a floor. */

export interface ScheduleOptions {
  /** Peak learning rate, reached at the end of warm-up. */
  learningRate: number;
  /** Steps of linear warm-up from lr/warmup to lr. Default 0. */
  warmupSteps?: number;
  /** Total steps; the cosine reaches `minLearningRate` at this step. */
  totalSteps: number;
  /** Floor of the cosine. Default 0. */
  minLearningRate?: number;
}

/** Learning rate for 0-based step `step`. Past totalSteps it stays at the floor. */
export function learningRateAt(step: number, o: ScheduleOptions): number {
  const warm = o.warmupSteps ?? 0;
  const floor = o.minLearningRate ?? 0;
  if (step < warm) return (o.learningRate * (step + 1)) / warm;
  const span = Math.max(1, o.totalSteps - warm);
  const progress = Math.min(1, (step - warm) / span);
  return floor + 0.5 * (o.learningRate - floor) * (1 + Math.cos(Math.PI * progress));
}
