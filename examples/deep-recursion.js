// expect: call_depth_limit
// Recursion without a base case: stopped at the policy's call depth, not the engine's native stack.
function descend(n) {
  return descend(n + 1) + 1;
}
console.log(descend(0));
