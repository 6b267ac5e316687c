import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SessionInfo } from '../../src/server/api-types.ts';

export const SessionContext = createContext<SessionInfo | null>(null);

/** Whether this browser may change anything (it holds the token); unknown counts as no until the server says. */
export function useCanChange(): boolean {
  return useContext(SessionContext)?.canChange ?? false;
}
