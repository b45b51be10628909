/**
 * An idle process watching its own event loop: how late its timers fire is the
 * machine's noise (other processes taking the CPU), the floor under any stall
 * measured at the same time. Prints its worst lateness when told to stop.
 */
import { watchEventLoop } from './eventLoopStall';

const watch = watchEventLoop();
process.on('message', () => {
  process.send?.({ worstStallMs: watch.stop() });
  process.disconnect?.();
});
