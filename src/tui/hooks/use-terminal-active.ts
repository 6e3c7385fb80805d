import { useSyncExternalStore } from 'react';
import type { TerminalControl } from '../services.js';

/** False while the TUI has stepped aside (commands printed, a shell open): input hooks must let go of stdin. */
export function useTerminalActive(terminal: TerminalControl): boolean {
  return useSyncExternalStore(terminal.subscribe, terminal.isActive);
}
