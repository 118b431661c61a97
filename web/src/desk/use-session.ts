/** The desk pages' view of the session (session.ts): restored from the refresh cookie on first use. */
import { useEffect, useState } from 'preact/hooks';
import { currentSession, type DeskSession, onSessionChange, restoreSession } from './session.ts';

export function useDeskSession(): { session: DeskSession | null; restoring: boolean } {
  const [session, setSession] = useState(currentSession);
  const [restoring, setRestoring] = useState(() => currentSession() === null);
  useEffect(() => {
    const stop = onSessionChange(() => setSession(currentSession()));
    let live = true;
    void restoreSession().then(() => {
      if (!live) return;
      setSession(currentSession());
      setRestoring(false);
    });
    return () => {
      live = false;
      stop();
    };
  }, []);
  return { session, restoring };
}
