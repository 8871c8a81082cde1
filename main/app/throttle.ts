/**
 * Calls `fn` at most once per `ms`: the first call at once, later ones folded into one trailing
 * call. `flush()` makes a pending trailing call now (at the end of a burst).
 */
export function throttle(ms: number, fn: () => void) {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const fire = () => {
    timer = null;
    last = Date.now();
    fn();
  };
  return {
    call(): void {
      if (timer) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    flush(): void {
      if (!timer) return;
      clearTimeout(timer);
      fire();
    },
  };
}
