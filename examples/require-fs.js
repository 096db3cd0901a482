// expect: rejected
// Reads a secret from the host: rejected at check time, before anything is compiled or run.
const fs = require("fs");
console.log(fs.readFileSync("/etc/passwd", "utf8"));
