import { useEffect, useState } from 'react';

export type MarkdownModule = typeof import('../markdown/index.js');

let loading: Promise<MarkdownModule> | undefined;
let loaded: MarkdownModule | undefined;

/** Starts loading the Markdown chunk (once); the home screen calls it after its first frame. */
export function loadMarkdown(): Promise<MarkdownModule> {
  loading ??= import('../markdown/index.js').then((module) => (loaded = module));
  return loading;
}

/** The Markdown module, or undefined for the moment it takes to load. */
export function useMarkdown(): MarkdownModule | undefined {
  const [module, setModule] = useState(loaded);
  useEffect(() => {
    if (module) return;
    let mounted = true;
    void loadMarkdown().then((value) => mounted && setModule(value));
    return () => {
      mounted = false;
    };
  }, [module]);
  return module;
}
