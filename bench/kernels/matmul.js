// perf kernel: dense matrix multiply over arrays of arrays.
const N = 200; // perf-small: 20
function matrix(n, seed) {
  const m = [];
  for (let i = 0; i < n; i++) {
    const row = [];
    for (let j = 0; j < n; j++) row.push(((i * 131 + j * 71 + seed) % 97) / 97);
    m.push(row);
  }
  return m;
}
function multiply(a, b) {
  const n = a.length;
  const c = [];
  for (let i = 0; i < n; i++) {
    const row = new Array(n).fill(0);
    const ai = a[i];
    for (let k = 0; k < n; k++) {
      const aik = ai[k];
      const bk = b[k];
      for (let j = 0; j < n; j++) row[j] += aik * bk[j];
    }
    c.push(row);
  }
  return c;
}
const a = matrix(N, 1);
const b = matrix(N, 2);
let c = multiply(a, b);
c = multiply(c, a);
let trace = 0;
for (let i = 0; i < N; i++) trace += c[i][i];
console.log("trace", trace.toFixed(6), "corner", c[N - 1][0].toFixed(6));
