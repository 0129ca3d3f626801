// Values a snippet must render inert: quotes, command substitution, interpolation
// of each language, backslashes, controls, format strings, trigraphs, unicode and bidi.
export const HOSTILE = [
  "plain",
  "it's",
  'say "hi"',
  "$(touch pwned)",
  "`touch pwned`",
  "${IFS}touch${IFS}pwned",
  "'; touch pwned; echo '",
  '"; touch pwned; echo "',
  "#{`touch pwned`}",
  "{$x}$y\\(1)",
  "back\\slash\\",
  "new\nline\r\n\ttab\u0000nul\u007fdel\u0085",
  "%41%s%n%%",
  "??=??/",
  "ünïcödé ✓ 日本 😀",
  "\u2028\u2029\u202eevil\u2066",
  "\\u0022 \\x41 \\101",
];
