import { useEffect, useState } from 'preact/hooks';

export type Theme = 'light' | 'dark';
const storageKey = 'sluice-theme';

function systemTheme(): Theme {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function chosenTheme(): Theme | null {
  const stored = localStorage.getItem(storageKey);
  return stored === 'light' || stored === 'dark' ? stored : null;
}

/** Before the first paint (main.tsx calls it), so the page never flashes the other theme. */
export function applyInitialTheme(): void {
  document.documentElement.dataset.theme = chosenTheme() ?? systemTheme();
}

const themeListeners = new Set<(theme: Theme) => void>();

/** The theme in force: the one chosen with the toggle, else the system's (followed as it changes). */
export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>((document.documentElement.dataset.theme as Theme) ?? 'light');
  useEffect(() => {
    themeListeners.add(setTheme);
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => {
      if (chosenTheme()) return;
      document.documentElement.dataset.theme = systemTheme();
      for (const listener of themeListeners) listener(systemTheme());
    };
    media.addEventListener('change', follow);
    return () => {
      themeListeners.delete(setTheme);
      media.removeEventListener('change', follow);
    };
  }, []);
  const toggle = () => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(storageKey, next);
    document.documentElement.dataset.theme = next;
    for (const listener of themeListeners) listener(next);
  };
  return [theme, toggle];
}
