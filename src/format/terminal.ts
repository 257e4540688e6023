/**
 * Text from the checkout shown on a terminal or in a CI log: a file name (or a message quoting one)
 * may hold control characters that move the cursor, recolour, retitle the window or hide lines
 * (ESC sequences, a bare CR). They are shown escaped (`\x1b`), never sent.
 */

// C0 controls but newline (and, in messages, tab), DEL, and the C1 controls (0x9b is a one-byte CSI).
// eslint-disable-next-line no-control-regex
const CONTROL_IN_NAME = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_IN_MESSAGE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function hex(character: string): string {
  return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** A file name with every control character escaped (a newline too: a name is one line). */
export function escapeName(name: string): string {
  return name.replace(CONTROL_IN_NAME, hex);
}

/** A message with every control character escaped but the newlines and tabs that lay it out. */
export function escapeMessage(message: string): string {
  return message.replace(CONTROL_IN_MESSAGE, hex);
}
