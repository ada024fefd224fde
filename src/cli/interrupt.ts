import { EXIT } from './exit-codes.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Graceful stop for long-running commands (`serve`, `dev`): the first SIGINT or SIGTERM calls
 * `stop` (finish late replies, close the server); the command then ends with exit code 130 after
 * Ctrl-C (SIGINT, as shells report it) or 0 after SIGTERM (an orchestrator's ordinary stop, which
 * systemd and Kubernetes count as clean). A second Ctrl-C while stopping exits 130 at once.
 * Returns a function that removes the handlers.
 *
 * @example
 * const off = onStopSignal(() => void server.close().then(done));
 */
export function onStopSignal(stop: (signal: StopSignal) => void): () => void {
  let stopping = false;
  const handle = (signal: StopSignal) => {
    if (stopping) {
      if (signal === 'SIGINT') process.exit(EXIT.interrupted);
      return;
    }
    stopping = true;
    if (signal === 'SIGINT') process.exitCode = EXIT.interrupted;
    stop(signal);
  };
  const onInt = () => handle('SIGINT');
  const onTerm = () => handle('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}
