import { useEffect, useId, useState, type DragEvent } from 'react';
import { createStore } from '../../../store';
import { MAX_USER_TEXT_BYTES, userTextSizeProblem } from '../../../../engine/data/userText';
import { formatBytes } from '../../../../engine/format/bytes';
import { prepareText, type PreparedText } from './datasets';
import { errorMessage } from '../../../../engine/types';

/** The learner's text, kept at module level so it survives switching sections (not a reload: it is not in the URL). */
interface UserTextState {
  text: string;
  /** What was checked: the typed text or the file's bytes. */
  raw: string | Uint8Array | null;
  source: string | null;
  prepared: PreparedText | null;
  error: string | null;
}
const store = createStore<UserTextState>({ text: '', raw: null, source: null, prepared: null, error: null });
const setState = store.set;
export const useUserText = store.use;

async function check(input: string | Uint8Array, source: string | null, tokenizerJson: string | null, seed: number) {
  if (!tokenizerJson) {
    setState({ prepared: null, error: 'Load a model first: its tokenizer decides which characters it can read.' });
    return;
  }
  try {
    const prepared = await prepareText(input, tokenizerJson, seed);
    setState({ prepared, error: null, source });
  } catch (e) {
    setState({ prepared: null, error: errorMessage(e), source });
  }
}

/** Paste text or drop a .txt: checked by prepareUserText (size cap, binary, unknown characters). */
export function UserTextInput({
  tokenizerJson,
  seed,
  disabled,
}: {
  tokenizerJson: string | null;
  seed: number;
  disabled: boolean;
}) {
  const s = useUserText();
  const textId = useId();
  const fileId = useId();
  const [over, setOver] = useState(false);
  const raw = s.raw;
  const source = s.source;
  // Another model (tokenizer) or seed: check the same text again (only then: not on every edit).
  useEffect(() => {
    if (raw !== null) void check(raw, source, tokenizerJson, seed);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-check only when the model or seed changes
  }, [tokenizerJson, seed]);

  async function takeFile(file: File | undefined) {
    if (!file) return;
    const tooLarge = userTextSizeProblem(file.size, file.name);
    if (tooLarge) {
      setState({ prepared: null, source: file.name, error: tooLarge });
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    setState({ text: text.length <= 20_000 ? text : `${text.slice(0, 20_000)}\n…`, raw: bytes });
    await check(bytes, file.name, tokenizerJson, seed);
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    if (!disabled) void takeFile(e.dataTransfer.files[0]);
  }

  const r = s.prepared?.report;
  return (
    <div
      className={`train-drop train-usertext${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label htmlFor={textId}>Your text (one document per line; at most {formatBytes(MAX_USER_TEXT_BYTES)})</label>
      <textarea
        id={textId}
        rows={6}
        value={s.text}
        disabled={disabled}
        placeholder="Paste some lines of text here, or drop a .txt file on this box."
        onChange={(e) => {
          setState({ text: e.target.value, raw: e.target.value, source: null });
          void check(e.target.value, null, tokenizerJson, seed);
        }}
      />
      <span className="train-field">
        <label htmlFor={fileId}>or choose a .txt file</label>
        <input
          id={fileId}
          type="file"
          accept=".txt,text/plain"
          disabled={disabled}
          onChange={(e) => void takeFile(e.target.files?.[0])}
        />
      </span>
      {s.error && (
        <p className="error" role="alert">
          {s.error}
        </p>
      )}
      {r && s.prepared && (
        <p className="train-hint" role="status">
          {s.source ? `${s.source}: ` : ''}
          {r.documents} documents, {r.characters.toLocaleString('en-US')} characters ({formatBytes(r.bytes)}):{' '}
          {s.prepared.dataset.train.length} to train on, {s.prepared.dataset.validation.length} held out for validation.
        </p>
      )}
      {r?.warning && (
        <p className="callout callout-warn" role="alert">
          {r.warning}
        </p>
      )}
    </div>
  );
}
