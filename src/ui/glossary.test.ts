import { describe, expect, it } from 'vitest';
import { GLOSSARY } from './glossary';

describe('glossary', () => {
  it('explains each word in one or two plain sentences, in the product’s own voice', () => {
    for (const [id, { term, definition }] of Object.entries(GLOSSARY)) {
      expect(term.length, id).toBeGreaterThan(2);
      expect(definition.length, id).toBeGreaterThan(40);
      expect(definition.length, id).toBeLessThan(320);
      expect(definition, id).not.toMatch(/\bthe (seed )?notes\b|\bseed notes\b/i);
    }
  });
  it('covers the jargon the pages use', () => {
    const terms = Object.values(GLOSSARY).map((g) => g.term);
    for (const t of ['CR factorization', 'Kaiming-uniform', 'PiSSA', 'nats', 'fan_in_fan_out'])
      expect(terms).toContain(t);
  });
});
