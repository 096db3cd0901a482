/**
 * A naive BASELINE for `stelp bench --compare`: a pattern-based static scanner in the spirit of
 * Meta's CodeShield (regular expressions over the source text, no parsing, no execution). It is
 * here only to put stelp's numbers in context: a program is "blocked" when any rule matches and
 * "allowed" otherwise. It is not part of stelp's defences.
 */

export interface BaselineRule {
  id: string;
  description: string;
  pattern: RegExp;
}

const MODULES = "fs|fs/promises|child_process|net|http|https|http2|dgram|tls|vm|worker_threads|cluster|os|process|v8|inspector";

export const BASELINE_RULES: readonly BaselineRule[] = [
  { id: "dangerous-require", description: "require() of fs, child_process, net, http, vm, worker_threads, …", pattern: new RegExp(`\\brequire\\s*\\(\\s*['"\`](?:node:)?(?:${MODULES})['"\`]\\s*\\)`) },
  { id: "dangerous-import", description: "import / import() of fs, child_process, net, http, vm, worker_threads, …", pattern: new RegExp(`\\bimport\\b[^;]*?['"\`](?:node:)?(?:${MODULES})['"\`]`) },
  { id: "dynamic-import", description: "import() of a computed specifier", pattern: /\bimport\s*\(\s*[^'"`\s)]/ },
  { id: "eval", description: "eval(…)", pattern: /\beval\s*\(/ },
  { id: "function-constructor", description: "new Function(…) / Function(…)", pattern: /\bnew\s+Function\s*\(|(?<![.\w$])Function\s*\(/ },
  { id: "process-access", description: "process.* (env, exit, binding, mainModule, …)", pattern: /\bprocess\s*(?:\.|\[)/ },
  { id: "constructor-chain", description: "constructor.constructor / ['constructor']", pattern: /constructor\s*(?:\.|\[\s*['"`])\s*constructor|\[\s*['"`]constructor['"`]\s*\]/ },
  { id: "prototype-write", description: "writes to __proto__ or .prototype, setPrototypeOf", pattern: /__proto__|\.prototype(?:\.[\w$]+)?\s*=(?!=)|\bsetPrototypeOf\s*\(/ },
  { id: "infinite-loop", description: "while(true) / for(;;) / do … while(true)", pattern: /\bwhile\s*\(\s*(?:true|1|!0)\s*\)|\bfor\s*\(\s*;\s*;\s*\)/ },
  { id: "shell-exec", description: "exec/execSync/spawn/execFile calls", pattern: /\b(?:execSync|execFileSync|spawnSync|execFile|spawn|exec)\s*\(/ },
  { id: "fs-call", description: "fs read/write/delete calls", pattern: /\b(?:readFileSync|writeFileSync|appendFileSync|readFile|writeFile|appendFile|unlinkSync|unlink|rmSync|rmdirSync|openSync|createWriteStream|createReadStream|readdirSync|renameSync)\s*\(/ },
  { id: "atomics-wait", description: "Atomics.wait / SharedArrayBuffer", pattern: /\bAtomics\s*\.\s*wait|\bSharedArrayBuffer\b/ },
  { id: "timer-loop", description: "setInterval / setImmediate", pattern: /\bsetInterval\s*\(|\bsetImmediate\s*\(/ },
  { id: "big-allocation", description: "huge allocations: new Array(1e9), .repeat(1e9), Buffer.alloc(1e9), …", pattern: /(?:\b(?:new\s+Array|Array|Buffer\.alloc(?:Unsafe)?|new\s+(?:Uint8|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64|BigInt64|BigUint64)Array|new\s+ArrayBuffer)|\.(?:repeat|fill|padStart|padEnd))\s*\(\s*(?:\d+(?:\.\d+)?e[+]?[7-9]|\d+(?:\.\d+)?e[+]?\d{2,}|\d{8,}|2\s*\*\*\s*(?:2[4-9]|[3-9]\d)|Infinity|Number\.MAX_SAFE_INTEGER)/ },
  { id: "network", description: "fetch / XMLHttpRequest / WebSocket / net.connect", pattern: /\bfetch\s*\(|\bXMLHttpRequest\b|\bWebSocket\b|\.connect\s*\(|\bcreateConnection\s*\(/ },
];

export interface BaselineVerdict {
  flagged: boolean;
  /** Ids of the rules that matched, in BASELINE_RULES order. */
  rules: string[];
}

/** Scans a program's text with every rule. */
export function scanSource(source: string): BaselineVerdict {
  const rules = BASELINE_RULES.filter((rule) => rule.pattern.test(source)).map((rule) => rule.id);
  return { flagged: rules.length > 0, rules };
}
