/**
 * The one thing PostGraphile 5 (grafast, @dataplan/pg) needs from Node 22 that Node 20 lacks:
 * Promise.withResolvers (Node 22+). Without it every connection answers "Cannot read properties of
 * undefined (reading 'items')". Imported first by bench/postgraphile-peer.ts; a no-op on Node 22.
 */
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
