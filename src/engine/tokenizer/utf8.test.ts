import { describe, expect, it } from 'vitest';
import { byteLength, decodeUtf8, firstInvalidUtf8 } from './utf8';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('strict UTF-8', () => {
  it('decodes valid UTF-8 and drops a byte-order mark', () => {
    expect(decodeUtf8(utf8('\uFEFFcafé ✓ 😀'), 'x')).toBe('café ✓ 😀');
    expect(decodeUtf8(utf8('abc').buffer, 'x')).toBe('abc');
    expect(firstInvalidUtf8(utf8('café ✓ 😀'))).toBe(-1);
  });

  it('names the offset of the first bad byte', () => {
    const latin1 = Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x21]); // "café!" in Latin-1
    expect(firstInvalidUtf8(latin1)).toBe(3);
    expect(() => decodeUtf8(latin1, 'Your file')).toThrow(
      /Your file is not UTF-8 text: byte 3 \(0xe9\) does not begin/,
    );
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xff]))).toBe(1);
    expect(firstInvalidUtf8(Uint8Array.from([0xc0, 0x80]))).toBe(0); // overlong NUL
    expect(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xe2, 0x9c]))).toBe(1); // truncated at the end
  });

  it('measures sizes in UTF-8 bytes', () => {
    expect(byteLength('é')).toBe(2);
    expect(byteLength(utf8('abc'))).toBe(3);
  });
});
