/**
 * What the learner has really done in this browser, as opposed to what they answered: a finished
 * LoRA run and a downloaded adapter. The Train page and the Adapters page set them when it
 * happens; "Start here" ticks its train and download steps only then. Kept in localStorage, and
 * shared live between components and tabs.
 */
import { useSyncExternalStore } from 'react';

const KEY = 'lowrank.milestones.v1';

export type Milestone = 'trained' | 'downloaded';

export interface MilestoneRecord {
  /** Date.now() when it happened. */
  at: number;
  /** What exactly, in a few words ("150 LoRA steps on First names"). */
  detail: string;
}

export type Milestones = Partial<Record<Milestone, MilestoneRecord>>;

const listeners = new Set<() => void>();
let cache: { raw: string | null; value: Milestones } = { raw: null, value: {} };

function readRaw(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Parses what storage holds, keeping only well-formed records (storage is user-editable). */
export function parseMilestones(raw: string | null): Milestones {
  let parsed: unknown;
  try {
    parsed = raw ? JSON.parse(raw) : {};
  } catch {
    return {};
  }
  const out: Milestones = {};
  if (!parsed || typeof parsed !== 'object') return out;
  for (const m of ['trained', 'downloaded'] as const) {
    const r = (parsed as Record<string, unknown>)[m] as Partial<MilestoneRecord> | undefined;
    if (r && typeof r.at === 'number' && typeof r.detail === 'string') out[m] = { at: r.at, detail: r.detail };
  }
  return out;
}

export function loadMilestones(): Milestones {
  const raw = readRaw();
  if (raw !== cache.raw) cache = { raw, value: parseMilestones(raw) };
  return cache.value;
}

function write(value: Milestones) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(value));
  } catch {
    // storage disabled or full: the step simply does not tick
  }
  for (const l of listeners) l();
}

/** Records that the learner did `m` just now. */
export function markMilestone(m: Milestone, detail: string): void {
  write({ ...loadMilestones(), [m]: { at: Date.now(), detail } });
}

export function clearMilestones(): void {
  write({});
}

function subscribe(l: () => void) {
  listeners.add(l);
  window.addEventListener('storage', l);
  return () => {
    listeners.delete(l);
    window.removeEventListener('storage', l);
  };
}

export function useMilestones(): Milestones {
  return useSyncExternalStore(subscribe, loadMilestones, () => ({}));
}
