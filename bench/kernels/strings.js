// perf kernel: string building: template literals, +=, join, padStart, slicing and a char-code hash.
const ROWS = 40000; // perf-small: 500
function row(i) {
  let line = "";
  for (let c = 0; c < 6; c++) {
    line += String((i * 31 + c * 7) % 1000).padStart(4, "0");
    if (c < 5) line += ",";
  }
  return `row ${i}: ${line}`;
}
const lines = [];
for (let i = 0; i < ROWS; i++) lines.push(row(i));
const text = lines.join("\n");
let hash = 0;
for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) % 1000000007;
const words = text.split(",");
let longest = "";
for (const w of words) if (w.length > longest.length) longest = w;
let upper = 0;
for (let i = 0; i < lines.length; i += 97) upper += lines[i].toUpperCase().slice(0, 8).length;
console.log("length", text.length, "hash", hash, "parts", words.length, "longest", longest.length, "upper", upper);
