import { Text } from 'ink';
import { useEffect, useState } from 'react';
import { useTheme } from '../theme.js';

/** A check that is running. */
export function Spinner() {
  const { glyphs, color } = useTheme();
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((current) => (current + 1) % glyphs.spinner.length), 100);
    return () => clearInterval(timer);
  }, [glyphs]);
  return <Text color={color ? 'cyan' : undefined}>{glyphs.spinner[frame]}</Text>;
}
