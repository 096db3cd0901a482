// perf kernel: sieve of Eratosthenes over a boolean array, several passes.
const N = 2000000; // perf-small: 20000
function sieve(limit) {
  const composite = new Array(limit + 1).fill(false);
  let count = 0;
  for (let i = 2; i <= limit; i++) {
    if (!composite[i]) {
      count++;
      for (let j = i * i; j <= limit; j += i) composite[j] = true;
    }
  }
  return count;
}
let checksum = 0;
for (let pass = 0; pass < 4; pass++) checksum += sieve(N - pass * 1000);
console.log("primes checksum", checksum);
