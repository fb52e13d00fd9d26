/** Learner-path progress, kept in this browser only (localStorage). */
const KEY = 'lowrank.path.v1';

export type Progress = Record<string, { answered: number; correct: boolean }>;

export function loadProgress(): Progress {
  try {
    const raw = window.localStorage.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Progress) : {};
  } catch {
    return {};
  }
}

export function saveProgress(p: Progress): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // storage disabled or full: progress simply is not kept
  }
}
