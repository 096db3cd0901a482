// expect: fuel_exhausted
// A loop that never ends: stopped by the fuel meter at the same count on every engine.
let ticks = 0;
while (true) {
  ticks++;
}
