// The floor of every cold start: a fresh Node process that does nothing. Prints one JSON line.
const ms = performance.now();
process.stdout.write(
  `${JSON.stringify({ ms, own: 0, rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, top: null })}\n`,
);
