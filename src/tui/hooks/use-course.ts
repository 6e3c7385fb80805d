import { useCallback, useState } from 'react';
import type { ListDocument } from '../../report/index.js';
import type { WorkbookApi } from '../services.js';

/** The lesson list with statuses; `refresh` after anything that changes progress (verify, answer, setup). */
export function useCourse(workbook: WorkbookApi): { list: ListDocument; refresh: () => void } {
  const [list, setList] = useState(() => workbook.list());
  const refresh = useCallback(() => setList(workbook.list()), [workbook]);
  return { list, refresh };
}
