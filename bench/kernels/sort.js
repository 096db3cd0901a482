// perf kernel: sorting numbers and strings with comparators (V8's TimSort in both), over an LCG's data.
const N = 100000; // perf-small: 2000
let seed = 12345;
function next() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed;
}
const numbers = [];
for (let i = 0; i < N; i++) numbers.push(next() % 1000000);
const ascending = numbers.slice().sort((a, b) => a - b);
const descending = numbers.slice().sort((a, b) => b - a);
const words = [];
for (let i = 0; i < N / 4; i++) words.push("w" + (next() % 100000).toString(36));
words.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
let checksum = 0;
for (let i = 0; i < N; i += 1000) checksum = (checksum * 7 + ascending[i] + descending[i]) % 1000000007;
console.log("sorted", ascending[0], ascending[N - 1], descending[0], checksum, words[0], words[words.length - 1]);
