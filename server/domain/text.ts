// The one rule for free text that people type (names, addresses, reasons). PURE: the portal's
// forms import it through the input schemas, so no server-only imports.
//
// A value is NFC-normalized and trimmed, then refused when it holds:
// - a control character (Unicode Cc: NUL, ESC, DEL, C1 controls, …) — a multi-line field
//   allows line feeds and tabs (CR LF and lone CR become LF);
// - a line or paragraph separator (U+2028/U+2029) in a single-line field;
// - a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069): they make text read
//   differently from how it is stored ("Trojan Source");
// - half of a surrogate pair (not Unicode at all; PostgreSQL cannot store it).
// A value with nothing visible once whitespace, format characters (Unicode Cf: zero-width
// space, joiners, BOM, …), other default-ignorable code points (Hangul fillers, variation
// selectors, …), combining marks alone and the braille blank are removed counts as empty.

const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_LINES = /[^\P{Cc}\n\t]/u;
const LINE_SEPARATORS = /[\u2028\u2029]/u;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
const LONE_SURROGATE = /\p{Cs}/u;
const INVISIBLE = /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/gu;

export interface TextRule {
  /** Allows line feeds and tabs (a reason, a note); names and address lines are single-line. */
  multiline?: boolean;
}

/** The normalized form a value is checked and stored in: NFC, line endings as LF, trimmed. */
export function normalizeText(value: string, rule: TextRule = {}): string {
  const normalized = value.normalize('NFC');
  return (rule.multiline ? normalized.replace(/\r\n?/g, '\n') : normalized).trim();
}

/** Why a (normalized) value is not acceptable text, or null when it is. Emptiness is `isBlankText`. */
export function textProblem(value: string, rule: TextRule = {}): string | null {
  if (LONE_SURROGATE.test(value)) return 'contains an invalid character';
  if ((rule.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(value)) {
    return rule.multiline ? 'must not contain control characters' : 'must be one line without control characters';
  }
  if (!rule.multiline && LINE_SEPARATORS.test(value)) return 'must be one line';
  if (BIDI_CONTROLS.test(value)) return 'must not contain text-direction override characters';
  return null;
}

/** True when nothing visible is left once invisible characters are removed ("", "   ", "\u200B"). */
export function isBlankText(value: string): boolean {
  return value.replace(INVISIBLE, '') === '';
}

/** A count with its noun as people say it: countText(1, 'day') → "1 day", countText(3, 'day') → "3 days". */
export function countText(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
