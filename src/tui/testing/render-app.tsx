// Renders the workbook with ink-testing-library at a given terminal size, and waits for frames instead of
// sleeping. Used by the tests only.
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { App } from '../components/App.js';
import type { TuiServices } from '../services.js';
import { makeTheme, ThemeContext } from '../theme.js';

export const keys = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  home: '\u001b[H',
  end: '\u001b[F',
  enter: '\r',
  escape: '\u001b',
  backspace: '\u007f',
  tab: '\t',
  ctrlC: '\u0003',
} as const;

type Expectation = string | RegExp | ((frame: string) => boolean);

export interface RenderedTui {
  lastFrame(): string;
  frames: string[];
  /** Resolves with the first frame (the current one included) that matches; fails after `timeoutMs` with the last frame. */
  waitFor(expectation: Expectation, timeoutMs?: number): Promise<string>;
  /** Types `input` and waits for a frame that matches `expectation`. */
  press(input: string, expectation: Expectation, timeoutMs?: number): Promise<string>;
  resize(columns: number, rows: number): void;
  /** Renders the same tree with new props (a hook test changing what its component is given). */
  rerender(element: ReactElement): void;
  unmount(): void;
  stdin: { write(data: string): void };
}

/**
 * ink draws a frame when React commits; the input hooks subscribe in effects that run just after. A key typed
 * between the two would reach the screen before it listens, which a person never manages.
 */
const settled = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(() => setTimeout(resolve, 0))));

export function renderTui(element: ReactElement, size: { columns: number; rows: number } = { columns: 120, rows: 40 }): RenderedTui {
  const instance = render(element);
  const { stdout } = instance;
  const waiters = new Set<() => void>();
  const write = stdout.write;
  stdout.write = (frame: string) => {
    write(frame);
    for (const waiter of [...waiters]) waiter();
  };
  const lastFrame = () => instance.lastFrame() ?? '';
  const matches = (expectation: Expectation, frame: string) =>
    typeof expectation === 'string' ? frame.includes(expectation) : expectation instanceof RegExp ? expectation.test(frame) : expectation(frame);
  const waitFor = (expectation: Expectation, timeoutMs = 5000) =>
    new Promise<string>((resolve, reject) => {
      if (matches(expectation, lastFrame())) return resolve(lastFrame());
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no frame matched ${String(expectation)} within ${timeoutMs} ms; the last frame:\n${lastFrame()}`));
      }, timeoutMs);
      const check = () => {
        if (!matches(expectation, lastFrame())) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(lastFrame());
      };
      waiters.add(check);
    });
  const resize = (columns: number, rows: number) => {
    Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
    stdout.emit('resize');
  };
  resize(size.columns, size.rows);
  return {
    lastFrame,
    frames: instance.frames,
    waitFor,
    press: async (input, expectation, timeoutMs) => {
      await settled();
      instance.stdin.write(input);
      return waitFor(expectation, timeoutMs);
    },
    resize,
    rerender: instance.rerender,
    unmount: instance.unmount,
    stdin: instance.stdin,
  };
}

export function renderApp(services: TuiServices, options: { columns?: number; rows?: number; plain?: boolean; color?: boolean } = {}): RenderedTui {
  const { columns = 120, rows = 40, plain = false, color = true } = options;
  return renderTui(
    <ThemeContext.Provider value={makeTheme({ plain, color })}>
      <App services={services} />
    </ThemeContext.Provider>,
    { columns, rows },
  );
}
