/**
 * The longest time the event loop was blocked while a job ran: a 5 ms timer
 * that notes how late it fires. (A stall delays every UI update and request.)
 */
export function watchEventLoop(): { stop(): number } {
  const intervalMs = 5;
  let expected = performance.now() + intervalMs;
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - expected);
    expected = now + intervalMs;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return worst;
    },
  };
}
