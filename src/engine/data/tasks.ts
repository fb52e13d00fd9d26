/**
 * The text tasks the app ships: the base pretraining corpus and the fine-tuning tasks, what they
 * are, how their files are named in public/data/, and how the app or a Worker loads them.
 */
import { UserFacingError } from '../types';

export type ShippedTaskId = 'words' | 'names' | 'dates' | 'arithmetic';
export type TaskId = ShippedTaskId | 'user';

export interface TaskInfo {
  id: TaskId;
  /** Short name for menus. */
  label: string;
  /** One sentence for the learner: what the documents look like and why the task is there. */
  description: string;
  /** "base": pretraining corpus; "fine-tune": a style the base model has to learn. */
  role: 'base' | 'fine-tune';
  /** Fixed prompts to sample from before, during and after training ("" = BOS: a new document). */
  samplePrompts: string[];
  /** Train on windows that start at a document boundary (short, line-structured documents). */
  alignToDocuments: boolean;
}

export const TASKS: Record<ShippedTaskId, TaskInfo> = {
  words: {
    id: 'words',
    label: 'English words',
    description:
      'Lower-case English words from the CMU Pronouncing Dictionary, one per document: the base model learns what English spelling looks like.',
    role: 'base',
    samplePrompts: ['', 'th', 'un', 'qu'],
    alignToDocuments: true,
  },
  names: {
    id: 'names',
    label: 'First names',
    description:
      'Capitalised English first names: shorter than dictionary words, upper-case first letters and different endings (-a, -ie, -lyn).',
    role: 'fine-tune',
    samplePrompts: ['', 'A', 'Mar', 'Jo'],
    alignToDocuments: true,
  },
  dates: {
    id: 'dates',
    label: 'Dates',
    description:
      'Valid ISO dates "YYYY-MM-DD" from 1900 to 2099: digits and dashes in a rigid pattern the base model has never seen.',
    role: 'fine-tune',
    samplePrompts: ['', '19', '2024-', '2000-02-'],
    alignToDocuments: true,
  },
  arithmetic: {
    id: 'arithmetic',
    label: 'Addition',
    description:
      'Sums of two whole numbers from 0 to 99, "12+35=47": the answer follows from the question, so you can check whether the model adds.',
    role: 'fine-tune',
    samplePrompts: ['', '12+', '7+8=', '45+45='],
    alignToDocuments: true,
  },
};

/** Every character any task may use, beyond those that occur in the shipped corpora: printable ASCII. */
export const BASE_EXTRA_CHARS = Array.from({ length: 126 - 32 + 1 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** Seed of every shipped split and generated task (the build script's default). */
export const DATA_SEED = 1234;

/** public/data/manifest.json: what the build script wrote. */
export interface DataManifest {
  version: 1;
  seed: number;
  /** File name of the character tokenizer (Hugging Face tokenizer.json) covering every task. */
  tokenizer: string;
  vocabSize: number;
  tasks: ManifestTask[];
}

export interface ManifestTask extends TaskInfo {
  id: ShippedTaskId;
  /** Where the documents come from, with the licence. */
  source: string;
  train: ManifestFile;
  validation: ManifestFile;
}

export interface ManifestFile {
  /** Relative to public/data/: one document per line, UTF-8, "\n" line ends. */
  file: string;
  documents: number;
  /** Characters in all documents (without separators). */
  characters: number;
}

/** A task's documents, ready for the batcher. */
export interface TextDataset {
  id: TaskId;
  label: string;
  train: string[];
  validation: string[];
  samplePrompts: string[];
  alignToDocuments: boolean;
}

/** The file's lines as documents (empty lines dropped, "\r\n" tolerated). */
export function parseDocuments(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.length > 0);
}

/** Documents as a file: one per line, trailing newline. */
export function formatDocuments(documents: readonly string[]): string {
  return documents.map((d) => `${d}\n`).join('');
}

/** Reads a path relative to public/data/ (fetch in the page or Worker, fs in Node). */
export type FetchText = (path: string) => Promise<string>;

/**
 * Loads a shipped task's two splits and checks them against the manifest's counts, so a stale or
 * truncated file is reported rather than trained on.
 */
export async function loadTask(manifest: DataManifest, id: ShippedTaskId, fetchText: FetchText): Promise<TextDataset> {
  const task = manifest.tasks.find((t) => t.id === id);
  if (!task)
    throw new UserFacingError(
      `The data manifest has no task "${id}"; known: ${manifest.tasks.map((t) => t.id).join(', ')}.`,
    );
  const [train, validation] = await Promise.all(
    [task.train, task.validation].map(async (f) => {
      const documents = parseDocuments(await fetchText(f.file));
      if (documents.length !== f.documents) {
        throw new UserFacingError(
          `${f.file} has ${documents.length} documents but the manifest says ${f.documents}: rebuild the data (npx tsx scripts/build-data.ts).`,
        );
      }
      return documents;
    }),
  );
  return {
    id,
    label: task.label,
    train,
    validation,
    samplePrompts: task.samplePrompts,
    alignToDocuments: task.alignToDocuments,
  };
}
