// The stelp runtime library, AssemblyScript side. Emitted snippets import what they use from here
// (`import { ... } from "./stelp/index"`); src/compile.ts serves this folder under the virtual path
// `stelp/`. Every name exported here starts with __js_ (JavaScript semantics helpers) or __stelp_
// (runtime plumbing), and every user identifier is emitted with a `u_` prefix, so the two never clash.
export {
  __stelp_log_out,
  __stelp_log_err,
  __stelp_write_line,
  __stelp_finish,
  __stelp_exit,
  __stelp_abort,
  __stelp_random_seed,
} from "./io";
export * from "./number";
export * from "./math";
export * from "./ops";
export * from "./number-format";
export * from "./number-parse";
export * from "./closure";
