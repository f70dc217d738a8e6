/**
 * Pulls a value from a worker every `intervalMs` while `active`: the next request starts only
 * after the previous one answered (never two in flight), so a busy worker slows the panel
 * down instead of piling up requests.
 */
import { useEffect, useState } from 'react';

export function usePoll<T>(fetch: () => Promise<T>, active: boolean, intervalMs: number): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const started = performance.now();
      try {
        const v = await fetch();
        if (!stopped) setValue(v);
      } catch {
        // The worker is gone (VM closed): stop polling.
        return;
      }
      if (!stopped) timer = setTimeout(tick, Math.max(0, intervalMs - (performance.now() - started)));
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [fetch, active, intervalMs]);
  return value;
}
