/** tfjs memory as plain numbers, and a leak check for tests and the Worker's status line. */
import { tf } from './tf';

export interface MemoryStats {
  /** Live tensors (variables included). */
  numTensors: number;
  /** Bytes held by live tensors on the backend. */
  numBytes: number;
}

export function memoryStats(): MemoryStats {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}

/** Run `fn`, then report how many tensors it left alive (0 = no leak). */
export async function tensorsLeftBy<T>(fn: () => Promise<T> | T): Promise<{ result: T; leaked: number }> {
  const before = tf.memory().numTensors;
  const result = await fn();
  return { result, leaked: tf.memory().numTensors - before };
}
