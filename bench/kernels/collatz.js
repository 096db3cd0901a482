// perf kernel: the longest Collatz chain below a bound (f64 arithmetic in a tight loop).
const N = 150000; // perf-small: 3000
function collatzLength(start) {
  let n = start;
  let steps = 1;
  while (n !== 1) {
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}
let best = 0;
let bestStart = 0;
for (let i = 1; i < N; i++) {
  const length = collatzLength(i);
  if (length > best) {
    best = length;
    bestStart = i;
  }
}
console.log("longest chain below", N, "starts at", bestStart, "with", best, "terms");
