import { describe, expect, it } from 'vitest';
import { printable } from './escape.js';

describe('printable', () => {
  it('escapes control characters, line separators, bidi overrides and backslashes; leaves the rest', () => {
    expect(printable('a\u001b[31mb\nc\td\r')).toBe('a\\x1b[31mb\\nc\\td\\r');
    expect(printable('x\u0000y\u007fz\u009b')).toBe('x\\x00y\\x7fz\\x9b');
    expect(printable('evil\u202egpj.exe\u2028')).toBe('evil\\u202egpj.exe\\u2028');
    expect(printable('a\\b')).toBe('a\\\\b');
    expect(printable('photos/été 01.jpg: 3 faces')).toBe('photos/été 01.jpg: 3 faces');
  });
});
