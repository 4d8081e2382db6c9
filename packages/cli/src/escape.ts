/**
 * `text` safe to print on a terminal: control characters (C0, DEL, C1: ESC starts terminal
 * commands, a newline fakes a line) and the Unicode line separators and bidirectional overrides
 * (which reorder what is shown) are written as escapes (`\x1b`, `\n`, `\u202e`), and a backslash
 * as `\\` so that escapes stay unambiguous. File names can hold any of them; stdout's JSON escapes
 * them itself, stderr's lines did not.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
