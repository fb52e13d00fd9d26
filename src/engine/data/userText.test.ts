import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../tokenizer/charTokenizer';
import { UserFacingError } from '../types';
import { BASE_EXTRA_CHARS } from './tasks';
import { cutLine, MAX_USER_TEXT_BYTES, prepareUserText, unknownWarning, userTextSizeProblem } from './userText';

const tok = CharTokenizer.fromCorpus([], BASE_EXTRA_CHARS);
const poem =
  'The fog comes\non little cat feet.\n\nIt sits looking\nover harbor and city\non silent haunches\nand then moves on.\n';

describe('prepareUserText', () => {
  it('turns lines into documents and splits them by seed', () => {
    const { dataset, report } = prepareUserText(poem, tok, { seed: 1 });
    expect(report).toMatchObject({ documents: 6, unknown: { count: 0, chars: [] }, warning: null });
    expect([...dataset.train, ...dataset.validation].sort()).toEqual(poem.split('\n').filter(Boolean).sort());
    expect(dataset.validation).toHaveLength(1);
    expect(dataset.samplePrompts[0]).toBe('');
    expect(prepareUserText(poem, tok, { seed: 1 }).dataset).toEqual(dataset);
    expect(prepareUserText(poem, tok, { seed: 2 }).dataset.validation).not.toEqual(dataset.validation);
  });

  it('accepts the bytes of a dropped UTF-8 file, normalising CRLF, tabs and a BOM', () => {
    const file = new TextEncoder().encode('\uFEFFone\tline\r\ntwo lines\r\n');
    const { dataset } = prepareUserText(file, tok, { seed: 1 });
    expect([...dataset.train, ...dataset.validation].sort()).toEqual(['one line', 'two lines']);
  });

  it('reports characters outside the vocabulary, which become <unk>', () => {
    const { report } = prepareUserText('Crème brûlée\nañejo, niño, señor\n', tok, { seed: 1 });
    expect(report.unknown.count).toBe(6);
    expect(report.unknown.chars.map((c) => c.char)).toEqual(['ñ', 'è', 'é', 'û']);
    expect(report.warning).toBe(
      "6 characters are not in the model's vocabulary (ñ, è, é, û): they will be mapped to <unk>.",
    );
    expect(unknownWarning({ count: 1, chars: [{ char: '\u00a0', count: 1 }] })).toBe(
      "1 character is not in the model's vocabulary (U+00A0): it will be mapped to <unk>.",
    );
  });

  const fails: [string, () => unknown, RegExp][] = [
    [
      'too large',
      () => prepareUserText('a\n'.repeat(MAX_USER_TEXT_BYTES / 2 + 1), tok, { seed: 1 }),
      /Your text is 204,802 bytes; the limit is 204,800 bytes/,
    ],
    [
      'not UTF-8',
      () => prepareUserText(Uint8Array.from([0x68, 0x69, 0x0a, 0xe9, 0x0a]), tok, { seed: 1 }),
      /Your text is not UTF-8 text: byte 3/,
    ],
    ['binary', () => prepareUserText('ab\u0000cd\nef', tok, { seed: 1 }), /binary file/],
    ['empty', () => prepareUserText(' \n\t\n', tok, { seed: 1 }), /Your text is empty/],
    ['one line', () => prepareUserText('just one line', tok, { seed: 1 }), /at least two lines/],
    [
      'mostly unknown',
      () => prepareUserText('Привет мир\nкак дела', tok, { seed: 1 }),
      /% of your text uses characters the model does not know \(/,
    ],
  ];
  for (const [name, run, message] of fails) {
    it(`refuses ${name} with a clear message`, () => {
      expect(run).toThrow(UserFacingError);
      expect(run).toThrow(message);
    });
  }

  it('says how large a refused text is, in KiB, and exactly when that would read as the limit', () => {
    expect(userTextSizeProblem(MAX_USER_TEXT_BYTES)).toBeNull();
    expect(userTextSizeProblem(210_000, 'notes.txt')).toBe(
      'notes.txt is 205 KiB; the limit is 200 KiB. Paste or drop a shorter excerpt.',
    );
    expect(userTextSizeProblem(MAX_USER_TEXT_BYTES + 1)).toMatch(/204,801 bytes; the limit is 204,800 bytes/);
  });

  it('cuts long lines at spaces so that windows can start at document starts', () => {
    expect(cutLine('aaa bbb ccc ddd', 8)).toEqual(['aaa bbb', 'ccc ddd']);
    expect(cutLine('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    const long = `${'word '.repeat(120)}\nshort`;
    expect(prepareUserText(long, tok, { seed: 1 }).report.documents).toBe(4);
  });
});
