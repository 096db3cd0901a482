/**
 * Differential test of the whole pipeline on snippets that cover the subset: stelp's stdout and
 * stderr must be exactly what `node` prints for the same file.
 */
import { describeSameAsNode } from "./helpers/differential.js";

const SNIPPETS: Record<string, string> = {
  "hello": `console.log("Hello, world!");`,
  "empty log and several args": `console.log(); console.log("a", 1, true, "b"); console.error("e", -0);`,
  "number formatting": `console.log(0.1 + 0.2, 1 / 3, 1e21, 1e-7, 123456789012345680000, 2 ** 53 + 1, -0, 0 / 0, -1 / 0, 5e-324, 1.7976931348623157e308);`,
  "integer arithmetic": `let a = 17, b = 5; console.log(a + b, a - b, a * b, a / b, a % b, -a % b, a ** 2, 2 ** -2);`,
  "remainder and pow edge cases": `console.log(5.5 % 2, -1 % 1, 1 % 0, 7 % Infinity, (-8) ** (1 / 3), 1 ** Infinity, 0 ** -1, (-0) ** -1);`,
  "bitwise": `console.log(7 & 3, 7 | 8, 7 ^ 1, ~7, ~-1, 1 << 31, 1 << 32, -7 >> 1, -7 >>> 28, -1 >>> 0, 2 ** 31 | 0, 1e21 | 0, NaN | 0, 3.9 | 0, -3.9 | 0);`,
  "compound assignment": `let x = 7; x += 3; x -= 1; x *= 2; x /= 4; x %= 3; x **= 3; x <<= 2; x >>= 1; x >>>= 0; x &= 0xff; x |= 1; x ^= 8; console.log(x);`,
  "update expressions": `let i = 0; let a = i++; let b = ++i; let c = i--; let d = --i; console.log(a, b, c, d, i);`,
  "string concatenation": `let s = "n=" + 1 + 2; let t = 1 + 2 + "=n"; let u = "b:" + true; let v = ""; v += 1.5; v += false; console.log(s, t, u, v, s.length);`,
  "template literals": "let n = 3, w = \"x\"; console.log(`${n} ${w} ${n > 2} ${n / 2} ${-0} ${1e21}`, `plain`, ``);",
  "unicode strings": `let s = "héllo 😀 \\u{1F600}"; console.log(s, s.length, "\\ud800" + "x", "tab\\there");`,
  "string comparison": `console.log("a" < "b", "B" < "a", "10" < "9", "" < "a", "é" > "z", "abc" >= "abc", "a" === "a", "a" != "b");`,
  "number comparison": `console.log(1 < 2, NaN < 1, NaN === NaN, 0 === -0, Infinity > 1e308, -0 < 0);`,
  "logical operators return operands": `let c = 0; function s(v) { c++; return v; } console.log(0 || 5, "" || "d", "a" && "b", NaN && 1, s(0) && s(1), s(2) || s(3), c, true && false, !0, !"", !"x");`,
  "logical assignment": `let b = true; b &&= false; b ||= true; let n = 0; n ||= 5; n &&= 6; let s = ""; s ||= "f"; s &&= s + "!"; console.log(b, n, s);`,
  "conditional and truthiness": `let n = 0; console.log(n ? "t" : "f", "" ? 1 : 2, NaN ? 1 : 2, "0" ? 1 : 2); if ("x") console.log("yes"); while (0) console.log("no");`,
  "if else chains": `function grade(s) { if (s >= 90) { return "A"; } else if (s >= 80) { return "B"; } else if (s >= 70) { return "C"; } return "F"; } console.log(grade(95), grade(85), grade(75), grade(5));`,
  "loops with break and continue": `let t = 0; for (let i = 0; i < 20; i++) { if (i % 3 === 0) continue; if (i > 15) break; t += i; } let k = 0; while (true) { k++; if (k > 4) break; } let d = 0; do { d += 3; } while (d < 10); console.log(t, k, d);`,
  "for with two variables": `let t = 0; for (let i = 0, j = 10; i < j; i++, j--) { t += i * j; } console.log(t);`,
  "recursion": `function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } function fact(n) { if (n <= 1) return 1; return n * fact(n - 1); } console.log(fib(20), fact(20), fact(25));`,
  "mutual recursion": `function isEven(n) { if (n === 0) return true; return isOdd(n - 1); } function isOdd(n) { if (n === 0) return false; return isEven(n - 1); } console.log(isEven(100), isOdd(7));`,
  "arrow functions and JSDoc": `/** @param {string} name */\nconst greet = (name) => "Hi " + name;\nconst sq = (x) => x * x;\nconst log = (v) => console.log("v", v);\nlog(sq(4)); console.log(greet("Ann"));`,
  "shadowing": `let x = 1; { let x = "two"; { let x = true; console.log(x); } console.log(x); } function f(x) { let y = x * 2; { let y = "in"; console.log(y); } return y; } console.log(f(3), x);`,
  "nested functions and globals": `const BASE = 10; function outer(a) { function helper(b) { return b * BASE; } const twice = (v) => v + v; return helper(a) + twice(a); } console.log(outer(4));`,
  "infinite loops that return": `function firstSquareAbove(n) { let i = 0; while (true) { i++; if (i * i > n) return i; } } function g() { for (;;) { return "done"; } } console.log(firstSquareAbove(50), g());`,
  "test-less for loops ending in continue or break": `let k = 0; for (;;) { k++; if (k < 3) continue; if (k > 3) break; continue; } let n = 0; for (let q = 0; ; q++) { n += q; if (q < 6) continue; break; } let z = 0; for (let q = 10; ; ) { z += q; q--; if (q > 0) continue; break; } let w = 0; for (; true; ) { w++; if (w < 5) continue; break; } function f(m) { for (let i = 0; ; i++) { if (i * i > m) return i; continue; } } console.log(k, n, z, w, f(50));`,
  "Math": `console.log(Math.max(1, 7, 3), Math.min(), Math.max(), Math.abs(-2.5), Math.floor(-1.5), Math.ceil(1.2), Math.round(-0.5), Math.round(2.5), Math.trunc(-4.7), Math.sign(-3), Math.sqrt(2), Math.cbrt(-27), Math.hypot(3, 4), Math.pow(2, 0.5));`,
  "Math transcendental": `console.log(Math.sin(1), Math.cos(2), Math.tan(3), Math.exp(1), Math.log(10), Math.log2(1024), Math.log10(0.001), Math.atan2(-1, -1), Math.sinh(2), Math.atanh(0.5), Math.expm1(1e-5), Math.log1p(1e-5), Math.fround(0.1), Math.clz32(1000), Math.imul(123456789, 987654321));`,
  "Math constants": `console.log(Math.PI, Math.E, Math.LN2, Math.LN10, Math.LOG2E, Math.LOG10E, Math.SQRT2, Math.SQRT1_2, NaN, Infinity, -Infinity);`,
  "console format directives": `const who = "Bob"; console.log("%s is %d years (%i%%)", who, 42.5, 42.5, "extra", true); console.log("%c styled %s", "color: red", "txt", "%o", 5); console.log("100%", 5); console.log("%j %j %f", "q\\"uote", 1 / 0, -0); console.log(who, "%s", 3); console.log("%s");`,
  "console %o and %O with strings": `let f = "%o"; console.log(f, "x"); console.log("%O and %o", "it's", "a\\nb"); console.log("%o|%O", "it's \\"q\\" \`b\`", "é😀\\u0001"); console.log("%o %o %O", 1, -0, true);`,
  "console.error and interleaving": `console.log("out 1"); console.error("err 1"); console.log("out 2"); console.error("err %d", 2);`,
  "humaneval style": `/**
 * Return the number of primes below n.
 * @param {number} n
 * @returns {number}
 */
function countPrimes(n) {
  let count = 0;
  for (let i = 2; i < n; i++) {
    let prime = true;
    for (let d = 2; d * d <= i; d++) {
      if (i % d === 0) { prime = false; break; }
    }
    if (prime) count++;
  }
  return count;
}
const isPalindrome = (n) => {
  let rev = 0, m = n;
  while (m > 0) { rev = rev * 10 + (m % 10); m = Math.floor(m / 10); }
  return rev === n;
};
console.log(countPrimes(100), isPalindrome(12321), isPalindrome(123));`,
};

describeSameAsNode("differential: stelp prints exactly what node prints", SNIPPETS, 60_000);
