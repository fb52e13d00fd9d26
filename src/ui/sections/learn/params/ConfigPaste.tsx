import { useId, useState } from 'react';
import { BUILTIN_MODELS } from '../../../../engine/learn/modelConfigs';
import { describeModelText } from '../../../../engine/paramCount';
import { errorMessage } from '../../../../engine/types';

interface Props {
  configText: string;
  onApply: (text: string) => void;
}

const EXAMPLE = JSON.stringify(BUILTIN_MODELS.find((m) => m.id === 'Llama-2-7b')!.config, null, 2);

/** Paste a Hugging Face config.json; it is validated before it is used, with a specific message. */
export function ConfigPaste({ configText, onApply }: Props) {
  const id = useId();
  const [draft, setDraft] = useState(configText ? prettify(configText) : EXAMPLE);
  const [error, setError] = useState<string | null>(null);
  const apply = () => {
    try {
      describeModelText(draft);
      setError(null);
      onApply(JSON.stringify(JSON.parse(draft)));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div className="config-paste">
      <label htmlFor={id}>config.json (model_type gpt2, bloom, llama or mistral)</label>
      <textarea id={id} rows={10} spellCheck={false} value={draft} onChange={(e) => setDraft(e.target.value)} />
      <div className="controls">
        <button type="button" className="primary" onClick={apply}>
          Use this config
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

function prettify(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
