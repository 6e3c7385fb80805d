import { measureElement, type DOMElement } from 'ink';
import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * The height ink gave a Box at the last layout. Layout happens after render, so the first frame reports 0 and
 * a second one follows with the real height; after that it changes only when the layout does.
 */
export function useBoxHeight(): [RefObject<DOMElement | null>, number] {
  const ref = useRef<DOMElement>(null);
  const [height, setHeight] = useState(0);
  useEffect(() => {
    if (!ref.current) return;
    const measured = measureElement(ref.current).height;
    if (measured !== height) setHeight(measured);
  });
  return [ref, height];
}
