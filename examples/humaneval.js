// expect: ok
// HumanEval-style helpers, written the way an LLM writes them, printing their results.

/**
 * @param {number} n
 * @returns {boolean}
 */
function isPrime(n) {
  if (n < 2) return false;
  for (let i = 2; i * i <= n; i++) {
    if (n % i === 0) return false;
  }
  return true;
}

const digitSum = (n) => {
  let sum = 0;
  while (n > 0) {
    sum += n % 10;
    n = Math.floor(n / 10);
  }
  return sum;
};

const fizzBuzz = (n) => (n % 15 === 0 ? "FizzBuzz" : n % 3 === 0 ? "Fizz" : n % 5 === 0 ? "Buzz" : `${n}`);

const greatestCommonDivisor = (a, b) => {
  while (b !== 0) {
    const t = b;
    b = a % b;
    a = t;
  }
  return a;
};

function repeatWord(word, times) {
  let out = "";
  for (let i = 0; i < times; i++) out += i === 0 ? word : "-" + word;
  return out;
}

let primes = "";
for (let n = 0; n < 30; n++) {
  if (isPrime(n)) primes += `${n} `;
}
console.log("primes below 30:", primes);
console.log("digit sum of 98765:", digitSum(98765));
let fizz = "";
for (let i = 1; i <= 15; i++) fizz += fizzBuzz(i) + (i < 15 ? "," : "");
console.log(fizz);
console.log("gcd(1071, 462) =", greatestCommonDivisor(1071, 462));
console.log(repeatWord("ha", 3), repeatWord("ha", 3).length);
console.log(0.1 + 0.2, 1 / 3, -0, 2 ** 53 + 1, 1e21, 1 / 0, -1 / 0, 0 / 0);
console.log(Math.round(-2.5), Math.max(3, 7, 1), Math.hypot(3, 4), 7 % -3, -7 % 3);
console.log(isPrime(97) && !isPrime(91), 5 > 3 ? "yes" : "no");
