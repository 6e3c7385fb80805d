import { useRef, type Dispatch } from 'react';
import { linesOf, typedText, useKeyInput } from './use-key-input.js';
import { quizReducer, type QuizAction, type QuizState } from './use-quiz-state.js';

/**
 * Keys of the answer form: typing goes to the answer, so q and ? are letters here (Ctrl-C still quits).
 * Keys that arrive together (a paste and Enter, in one read) are handled before React renders again, so the
 * hook follows the state itself between renders instead of trusting the last rendered one.
 */
export function useQuizInput(options: {
  active: boolean;
  state: QuizState;
  dispatch: Dispatch<QuizAction>;
  count: number;
  onSubmit: (question: number, draft: string) => void;
  onClose: () => void;
}): void {
  const { dispatch, count } = options;
  const latest = useRef(options.state);
  latest.current = options.state;
  const send = (action: QuizAction) => {
    latest.current = quizReducer(latest.current, action);
    dispatch(action);
  };
  useKeyInput((input, key) => {
    if (key.escape) return options.onClose();
    if (key.upArrow || (key.tab && key.shift)) return send({ type: 'move', by: -1, count });
    if (key.downArrow || key.tab) return send({ type: 'move', by: 1, count });
    if (latest.current.saving) return;
    if (key.return) return submit();
    if (key.backspace || key.delete) return send({ type: 'erase' });
    if (key.ctrl && input === 'u') return send({ type: 'clear' });
    if (!typedText(input.replace(/[\r\n]/g, ''), key) && !/[\r\n]/.test(input)) return;
    for (const line of linesOf(input)) {
      if (line.text) send({ type: 'type', text: line.text });
      if (line.enter) submit();
    }
  }, options.active);

  function submit(): void {
    const { selected, draft, saving } = latest.current;
    if (saving) return;
    if (draft.trim() === '') return send({ type: 'move', by: 1, count });
    send({ type: 'saving' });
    options.onSubmit(selected, draft);
  }
}
