// expect: output_limit
// Prints forever: stopped at the policy's output limit, at the same byte on every engine.
let line = 0;
while (true) {
  console.log(`line ${line} of a flood that never ends`);
  line++;
}
