/** Learner-path progress, kept in this browser only (localStorage). */
import type { Milestones } from '../../storage/milestones';
import type { PathStep } from './pathSteps';

const KEY = 'lowrank.path.v1';

export interface Answer {
  /** The choice picked last. */
  answered: number;
  correct: boolean;
  /** How many answers were picked (older saves lack it: one). */
  tries?: number;
  /** The learner asked for the answer. */
  revealed?: boolean;
}

export type Progress = Record<string, Answer>;

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

/** The answer after picking choice `i`: tries count up, so the second wrong try shows the answer. */
export function pick(step: PathStep, before: Answer | undefined, i: number): Answer {
  return {
    answered: i,
    correct: i === step.answer,
    tries: (before?.tries ?? (before ? 1 : 0)) + 1,
    revealed: before?.revealed,
  };
}

/** What the question shows: nothing yet, right, a hint (first wrong try), or the answer. */
export function feedback(a: Answer | undefined): 'none' | 'right' | 'hint' | 'answer' {
  if (!a) return 'none';
  if (a.correct) return 'right';
  return a.revealed || (a.tries ?? 1) >= 2 ? 'answer' : 'hint';
}

/** A step ticks when its question is answered right and, for train and download, when it really happened. */
export function stepDone(step: PathStep, progress: Progress, milestones: Milestones): boolean {
  return Boolean(progress[step.id]?.correct) && (!step.action || Boolean(milestones[step.action.milestone]));
}

/** `href` with `path=<n>` added, so the page it opens offers the way back to step n. */
export function withPathReturn(href: string, n: number): string {
  return `${href}${href.includes('?') ? '&' : '?'}path=${n}`;
}
