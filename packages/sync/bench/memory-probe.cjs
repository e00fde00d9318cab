// Preloaded into the benchmark's gateway (`node --expose-gc --require memory-probe.cjs`): on
// SIGUSR2 it runs a full GC and prints the process's memory on stderr, so the bench can measure
// memory per connection without the garbage of whatever ran just before (a plain RSS read
// before/after connecting came out negative when a GC happened in between).
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
  process.stderr.write(`MG_BENCH_MEMORY ${JSON.stringify(process.memoryUsage())}\n`);
});
