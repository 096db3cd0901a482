# Runs a command (wasmtime, through STELP_WASMTIME) and writes its resource usage as JSON
# { "cpuMs", "maxRSS" } to the file named by the first argument: bench/perf.mjs measures the
# wasmtime engine's CPU time and peak RSS this way (node cannot read a child's rusage).
import json, resource, subprocess, sys

out_file, command = sys.argv[1], sys.argv[2:]
code = subprocess.run(command).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out_file, "w") as f:
    json.dump({"cpuMs": (usage.ru_utime + usage.ru_stime) * 1000, "maxRSS": usage.ru_maxrss * 1024}, f)
sys.exit(code if code >= 0 else 128 - code)
