// String literals for the snippets, one escaper per language family. Every
// value a snippet shows (URLs, identifiers, client ids, secrets, JSON bodies)
// goes through the escaper of the language it is pasted into, so a stored
// value can never end a literal, interpolate, or run a command: validation
// refuses hostile identifiers today, but values stored before it (or a future
// rule that forgets a character) must still render inert.

/**
 * Characters shown as escapes rather than literally: C0/C1 controls, DEL, line
 * and paragraph separators (line ends in C# and old JavaScript), and the
 * bidirectional overrides that make code read differently from how it runs
 * (CVE-2021-42574, "Trojan Source").
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

/** Maps each character through `special` (quote, backslash…) or `invisible` (controls), else keeps it. */
function escapeWith(value: string, special: Record<string, string>, invisible: (code: number) => string): string {
  let out = "";
  for (const ch of value) {
    const mapped = special[ch];
    if (mapped !== undefined) out += mapped;
    else if (INVISIBLE.test(ch)) out += invisible(ch.codePointAt(0)!);
    else out += ch;
  }
  return out;
}

const C_LIKE = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** POSIX shell: one single-quoted word; a quote inside is closed, escaped and reopened (`'\''`). */
export function shellString(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** JavaScript (Node.js, jQuery) and JSON: JSON.stringify is the language's own escaping. */
export function jsString(value: string): string {
  return JSON.stringify(value).replace(/[\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu, (ch) => `\\u${hex(ch.codePointAt(0)!, 4)}`);
}

/** Go interpreted string literal: `\uXXXX` is exactly four digits (`\x` would take only two). */
export function goString(value: string): string {
  return `"${escapeWith(value, C_LIKE, (c) => `\\u${hex(c, 4)}`)}"`;
}

/** C# regular string literal: `\uXXXX` (its `\x` takes one to four digits, so a following digit would join it). */
export function csharpString(value: string): string {
  return `"${escapeWith(value, C_LIKE, (c) => `\\u${hex(c, 4)}`)}"`;
}

/**
 * Java string literal. Java turns `\uXXXX` into the character before it
 * lexes, so a `\u000a` would still be a raw newline: controls use octal
 * escapes (at most three digits, always three here).
 */
export function javaString(value: string): string {
  return `"${escapeWith(value, C_LIKE, (c) => (c < 0x100 ? `\\${c.toString(8).padStart(3, "0")}` : `\\u${hex(c, 4)}`))}"`;
}

/** Objective-C NSString literal (`@"…"`): C escapes, octal for controls, `\?` against trigraphs. */
export function objcString(value: string): string {
  return `@"${escapeWith(value, { ...C_LIKE, "?": "\\?" }, (c) => (c < 0x100 ? `\\${c.toString(8).padStart(3, "0")}` : `\\u${hex(c, 4)}`))}"`;
}

/** Swift string literal: `\(…)` interpolation needs a backslash, which is escaped. */
export function swiftString(value: string): string {
  return `"${escapeWith(value, C_LIKE, (c) => `\\u{${hex(c, 1)}}`)}"`;
}

/** Python str literal (double-quoted, not an f-string). */
export function pythonString(value: string): string {
  return `"${escapeWith(value, C_LIKE, (c) => (c < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`))}"`;
}

/** Ruby double-quoted literal: `#` is escaped so `#{…}`, `#@x` and `#$x` cannot interpolate. */
export function rubyString(value: string): string {
  return `"${escapeWith(value, { ...C_LIKE, "#": "\\#" }, (c) => `\\u{${hex(c, 1)}}`)}"`;
}

/**
 * PHP: single-quoted (no `$` interpolation; only `\\` and `\'` are escapes),
 * with invisible characters joined on as double-quoted `"\u{…}"` pieces.
 */
export function phpString(value: string): string {
  const parts: string[] = [];
  let plain = "";
  for (const ch of value) {
    if (INVISIBLE.test(ch)) {
      if (plain) parts.push(`'${plain}'`);
      plain = "";
      parts.push(`"\\u{${hex(ch.codePointAt(0)!, 1)}}"`);
    } else plain += ch === "\\" ? "\\\\" : ch === "'" ? "\\'" : ch;
  }
  if (plain || parts.length === 0) parts.push(`'${plain}'`);
  return parts.join(" . ");
}

/** A dotenv / shell assignment value: bare when it is plainly safe, else shell-quoted. */
export function envValue(value: string): string {
  return /^[A-Za-z0-9_./:@%+,=-]*$/.test(value) ? value : shellString(value);
}
