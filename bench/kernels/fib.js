// perf kernel: recursive calls (naive Fibonacci).
const N = 32; // perf-small: 18
function fib(n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}
let total = 0;
for (let i = 0; i < 3; i++) total += fib(N - i);
console.log("fib checksum", total);
