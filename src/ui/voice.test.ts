import { describe, expect, it } from 'vitest';
import { foreignVoice } from '../../e2e/helpers/voice';
import { GLOSSARY } from './glossary';
import { DEFAULT_SEQUENCE } from './presenter';
import { SECTIONS } from './sectionMeta';
import { PATH } from './sections/start/pathSteps';

describe('the product’s own voice', () => {
  it('the rule catches references to outside documents and lets the random seed through', () => {
    expect(foreignVoice('The notes stop mid-sentence. Finished:')).not.toEqual([]);
    expect(foreignVoice('The seed notes quote the paper')).not.toEqual([]);
    expect(foreignVoice('Merging (the seed’s numbers)')).not.toEqual([]);
    expect(foreignVoice('Same prompts, same random seed (temperature 0.8)')).toEqual([]);
    expect(foreignVoice('seed 42, 1,800 steps; seed: 0; the seed = 3')).toEqual([]);
  });
  it('holds for the texts that live outside the pages: titles, summaries, steps, talk, glossary', () => {
    const texts = [
      ...SECTIONS.flatMap((s) => [s.title, s.summary]),
      ...PATH.flatMap((s) => [s.title, s.tryThis, s.question, ...s.choices, s.hint, s.why, s.learned, s.linkText]),
      ...DEFAULT_SEQUENCE.flatMap((s) => [s.title, s.notes ?? '', s.card ?? '']),
      ...Object.values(GLOSSARY).flatMap((g) => [g.term, g.definition]),
    ];
    expect(texts.flatMap(foreignVoice)).toEqual([]);
  });
});
