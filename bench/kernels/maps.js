// perf kernel: Map and Set heavy: word counts with string keys, a memo with number keys.
const N = 200000; // perf-small: 2000
const counts = new Map();
for (let i = 0; i < N; i++) {
  const key = "k" + ((i * 7919) % 5003);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
const memo = new Map();
function steps(n) {
  if (n === 1) return 0;
  if (memo.has(n)) return memo.get(n);
  const result = 1 + steps(n % 2 === 0 ? n / 2 : 3 * n + 1);
  memo.set(n, result);
  return result;
}
let total = 0;
for (let i = 1; i < N / 4; i++) total += steps(i);
const seen = new Set();
for (let i = 0; i < N; i++) seen.add((i * i) % 65521);
let maxCount = 0;
for (const [, v] of counts) if (v > maxCount) maxCount = v;
console.log("keys", counts.size, "max", maxCount, "memo", memo.size, "steps", total, "squares", seen.size);
