import { useInput, useStdin, type Key } from 'ink';

/**
 * ink's useInput, active only when stdin can be put in raw mode: on a pipe `isRawModeSupported` is undefined
 * rather than false, and ink throws if asked for raw mode there.
 */
export function useKeyInput(handler: (input: string, key: Key) => void, active: boolean): void {
  const { isRawModeSupported } = useStdin();
  useInput(handler, { isActive: active && isRawModeSupported === true });
}

/** Text a key press adds to a text field: printable characters only (ink reports Tab, Esc… as input too). */
export function typedText(input: string, key: Key): string {
  if (key.ctrl || key.meta || key.return || key.escape || key.tab || key.backspace || key.delete) return '';
  if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end) return '';
  return input.replace(/[\u0000-\u001f\u007f]/g, '');
}

/**
 * Typed or pasted text, split at line breaks. ink delivers a run of printable characters as one input, with
 * any Enter inside it ("v2\r" when a paste or fast typing ends with Enter); each break is an Enter.
 */
export function linesOf(input: string): { text: string; enter: boolean }[] {
  const parts = input.split(/\r\n|\r|\n/);
  return parts.map((text, index) => ({ text: text.replace(/[\u0000-\u001f\u007f]/g, ''), enter: index < parts.length - 1 }));
}
